#!/usr/bin/env bash
# Installs the system packages docgen and its tests need (LibreOffice Writer and Calc, their Python-UNO
# bridge, fonts metric-compatible with Times New Roman, poppler, OpenSSL with the GOST engine for signatures,
# chromium for the web tests, PostgreSQL for the register's shared journal), or prints the exact command when not root.
# Does nothing when all are present. Each need is checked by what it provides, not by a package name,
# so a machine with the full (GUI) LibreOffice counts as ready too.
set -u
lo=/usr/lib/libreoffice/program
need=()
{ command -v soffice >/dev/null 2>&1 && [ -e "$lo/libswlo.so" ]; } || need+=(libreoffice-writer-nogui)
[ -e "$lo/libsclo.so" ] || need+=(libreoffice-calc-nogui)
[ -e /usr/lib/python3/dist-packages/uno.py ] || need+=(python3-uno)
fc-list 2>/dev/null | grep -q "Liberation Serif" || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)  # the web office's browser tests (Playwright)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
ls /usr/lib/*/engines-3/gost.so >/dev/null 2>&1 || need+=(libengine-gost-openssl)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)  # the register's PostgreSQL tests
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Устанавливаю: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
    echo "Не удалось установить ${need[*]}" >&2; exit 1; }
else
  echo "Не хватает системных пакетов. Выполните:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
