"""Input suffixes are declared by the readers (``docgen_input_suffixes``): a plugin reading a new format
has its files watched in the inbox and accepted by the web office's upload, and nothing else is taken."""
from __future__ import annotations

import textwrap

import pytest

from docgen.errors import DocgenError
from docgen.inbox import InboxWatcher
from docgen.pipeline import Pipeline
from docgen.plugins import get_plugin_manager
from docgen.settings import InboxOptions
from docgen.testing import docx_text
from docgen.web.uploads import clean_name

PLAIN_TEXT_PLUGIN = textwrap.dedent('''
    """Reads a thank-you letter from a .txt file: the addressee's name, position, and what for, a line each."""
    from docgen.api import RawDocument, hookimpl


    @hookimpl
    def docgen_input_suffixes():
        return ["TXT"]  # case and the missing dot do not matter


    @hookimpl
    def docgen_read_input(path, name):
        if path.suffix.lower() != ".txt":
            return None
        addressee, position, reason = path.read_text(encoding="utf-8").splitlines()
        return [RawDocument({"type": "thank_you_letter", "date": "2024-05-31", "text": reason,
                             "addressee": {"name": addressee, "position": position}}, 0)]
''')
LETTER = "Иванова Мария Петровна\nучитель математики\nза терпение и участие в программе наставничества\n"
FAST = InboxOptions(polling=True, poll_interval=0.1, stability_delay=0.2, rescan_interval=0.2)


@pytest.fixture
def docx_only_workspace(docgen_workspace):
    config = docgen_workspace.config.read_text(encoding="utf-8")
    docgen_workspace.config.write_text(config.replace("[conversion]\n", "[conversion]\nenabled = false\n", 1),
                                       encoding="utf-8")
    return docgen_workspace


def watch_once(workspace, hooks, seconds: float = 3.0) -> Pipeline:
    pipeline = Pipeline(workspace, hooks=hooks)
    try:
        watcher = InboxWatcher(workspace.inbox, pipeline.process, FAST, workspace.failed, polling=True,
                               suffixes=hooks.input_suffixes())
        watcher.run(max_seconds=seconds)
    finally:
        pipeline.close()
    return pipeline


def test_hook_docgen_input_suffixes_are_joined_and_normalised(docx_only_workspace):
    plain = get_plugin_manager(docx_only_workspace.plugins, entry_points=False)
    assert plain.input_suffixes() == {".json", ".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
    (docx_only_workspace.plugins / "plaintext.py").write_text(PLAIN_TEXT_PLUGIN, encoding="utf-8")
    hooks = get_plugin_manager(docx_only_workspace.plugins, entry_points=False)
    assert hooks.input_suffixes() == {".txt", ".json", ".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def test_hook_docgen_input_suffixes_a_plugin_reading_a_new_format_sees_its_watched_files(docx_only_workspace):
    ws = docx_only_workspace
    ws.ensure()
    (ws.plugins / "plaintext.py").write_text(PLAIN_TEXT_PLUGIN, encoding="utf-8")
    (ws.inbox / "письмо.txt").write_text(LETTER, encoding="utf-8")
    hooks = get_plugin_manager(ws.plugins, entry_points=False)
    pipeline = watch_once(ws, hooks)
    assert (ws.processed / "письмо.txt").exists() and not (ws.inbox / "письмо.txt").exists()
    letters = list(ws.outbox.rglob("*.docx"))
    assert len(letters) == 1 and not list(ws.outbox.rglob("*.pdf"))
    assert "Мария Петровна" in docx_text(letters[0])
    assert [e.status for e in pipeline.register.entries()] == ["published"]


def test_without_a_reader_a_watched_inbox_leaves_the_new_format_alone(docx_only_workspace):
    ws = docx_only_workspace
    ws.ensure()
    (ws.inbox / "письмо.txt").write_text(LETTER, encoding="utf-8")
    watch_once(ws, get_plugin_manager(ws.plugins, entry_points=False), seconds=1.0)
    assert (ws.inbox / "письмо.txt").read_text(encoding="utf-8") == LETTER
    assert list(ws.failed.iterdir()) == [] and list(ws.outbox.rglob("*.docx")) == []


def test_the_upload_accepts_the_suffixes_the_readers_declare():
    assert clean_name("письмо.txt", {".txt", ".json"}) == "письмо.txt"
    with pytest.raises(DocgenError, match=r"принимаются только \.json, \.txt"):
        clean_name("письмо.odt", {".txt", ".json"})
    with pytest.raises(DocgenError, match="принимаются только"):
        clean_name("письмо.txt")


def test_the_watcher_takes_only_the_suffixes_it_is_given(docx_only_workspace):
    ws = docx_only_workspace
    ws.ensure()
    watcher = InboxWatcher(ws.inbox, lambda path: None, FAST, ws.failed, suffixes={".txt"})
    (ws.inbox / "письмо.txt").write_text(LETTER, encoding="utf-8")
    (ws.inbox / "пары.json").write_text("{}", encoding="utf-8")
    assert watcher.scan() and {p.name for p in watcher.tracker.files} == {"письмо.txt"}
