// docgen web office: fragments that refresh themselves, drag-and-drop upload, repeatable form rows.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf"]').content;
  function poll(el) {
    var seconds = parseFloat(el.dataset.poll) || 3;
    var timer = setInterval(function () {
      fetch(el.dataset.src, {headers: {"X-Fragment": "1"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          el.innerHTML = html;
          if (el.querySelector("[data-final]")) clearInterval(timer);
        }).catch(function () {});
    }, seconds * 1000);
  }
  function start(root) { root.querySelectorAll("[data-poll]").forEach(poll); }
  function send(files) {
    var form = new FormData(), out = document.getElementById("results");
    Array.prototype.forEach.call(files, function (f) { form.append("files", f, f.name); });
    out.textContent = "Отправляю…";
    fetch("/upload", {method: "POST", body: form, headers: {"X-CSRF-Token": csrf, "X-Fragment": "1"},
                      credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) { out.innerHTML = html; start(out); });
  }
  var drop = document.getElementById("drop"), input = document.getElementById("files");
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (n) { drop.addEventListener(n, function (e) { e.preventDefault(); drop.classList.add("over"); }); });
    ["dragleave", "drop"].forEach(function (n) { drop.addEventListener(n, function (e) { e.preventDefault(); drop.classList.remove("over"); }); });
    drop.addEventListener("drop", function (e) { send(e.dataTransfer.files); });
    input.addEventListener("change", function () { if (input.files.length) send(input.files); });
    var plain = document.getElementById("upload-form");
    if (plain) plain.addEventListener("submit", function (e) { e.preventDefault(); if (input.files.length) send(input.files); });
  }
  document.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add]"), remove = e.target.closest("[data-remove]");
    if (add) {
      var group = add.closest(".repeat"), rows = group.querySelector(":scope > .rows");
      var tpl = group.querySelector(":scope > template"), index = parseInt(group.dataset.next || "0", 10);
      group.dataset.next = index + 1;
      var html = tpl.innerHTML.split(group.dataset.placeholder).join(String(index));
      rows.insertAdjacentHTML("beforeend", html.replace("№__ROW__", "№ " + (rows.children.length + 1)));
    }
    if (remove) remove.closest(".row").remove();
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) { if (!confirm(f.dataset.confirm)) e.preventDefault(); });
  });
  var all = document.getElementById("all");
  if (all) all.addEventListener("change", function () {
    document.querySelectorAll('input[name="entry"]').forEach(function (box) { box.checked = all.checked; });
  });
  start(document);
})();
