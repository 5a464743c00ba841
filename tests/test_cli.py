"""The docgen command as a person runs it: init, types, schema, validate, process, register."""
from __future__ import annotations

import json

import pytest

from helpers import EXAMPLES, MONITORING_PLUGIN, ROOT, run_docgen


@pytest.mark.slow
def test_types_lists_the_five_builtin_types():
    result = run_docgen("types")
    assert result.returncode == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids[:5] == ["pair_order", "reward_order", "consent", "roadmap", "thank_you_letter"]
    assert "[builtin:pair_order]" in result.stdout  # where each type comes from


@pytest.mark.slow
def test_types_names_a_workspace_plugin_as_the_origin(tmp_path):
    run_docgen("init", "--demo", str(tmp_path))
    (tmp_path / "plugins" / "monitoring.py").write_text(MONITORING_PLUGIN, encoding="utf-8")
    result = run_docgen("--workspace", str(tmp_path), "types")
    assert result.returncode == 0, result.stderr
    assert "monitoring" in result.stdout and "[workspace:monitoring]" in result.stdout


@pytest.mark.slow
def test_schema_prints_json_schema():
    result = run_docgen("schema", "pair_order")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert "pairs" in schema["required"]


def test_init_writes_a_commented_workspace(tmp_path):
    result = run_docgen("init", str(tmp_path / "school"))
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "school" / "docgen.toml").read_text(encoding="utf-8")
    assert config.startswith("# docgen.toml") and "[series.orders]" in config
    for folder in ("inbox", "outbox", "examples"):
        assert (tmp_path / "school" / folder).is_dir()
    assert (tmp_path / "school" / "examples" / "pair_order.json").exists()


def test_demo_workspace_config_is_the_init_template():
    assert (ROOT / "docgen.toml").read_text(encoding="utf-8") == (ROOT / "docgen" / "docgen.example.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_validate_draws_no_number_and_reports_in_russian(tmp_path):
    run_docgen("init", "--demo", str(tmp_path))
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "pair_order", "pairs": [{"mentor": {"name": ""}}]}', encoding="utf-8")
    good = run_docgen("--workspace", str(tmp_path), "validate", str(EXAMPLES / "pair_order.json"))
    assert good.returncode == 0 and "Верно" in good.stdout
    result = run_docgen("--workspace", str(tmp_path), "validate", str(bad))
    assert result.returncode == 1
    assert "не заполнено" in result.stdout
    assert not (tmp_path / "register.sqlite").exists() or "1-од" not in run_docgen("--workspace", str(tmp_path), "register", "list").stdout
    assert list((tmp_path / "outbox").iterdir()) == []


@pytest.mark.libreoffice
def test_process_then_register_list_and_void(tmp_path):
    run_docgen("init", "--demo", str(tmp_path))
    result = run_docgen("--workspace", str(tmp_path), "process", str(EXAMPLES / "pair_order.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1-од" in result.stdout
    listing = run_docgen("--workspace", str(tmp_path), "register", "list")
    assert "1-од" in listing.stdout and "выпущен" in listing.stdout
    voided = run_docgen("--workspace", str(tmp_path), "register", "void", "1-од", "--reason", "ошибка в дате")
    assert voided.returncode == 0
    assert "аннулирован: ошибка в дате" in run_docgen("--workspace", str(tmp_path), "register", "list").stdout


@pytest.mark.slow
def test_process_fails_with_nonzero_status(tmp_path):
    run_docgen("init", "--demo", str(tmp_path))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = run_docgen("--workspace", str(tmp_path), "process", str(bad))
    assert result.returncode == 1
    assert "ОШИБКА" in result.stdout
