"""Headless subcommands: export-json and import-json, with global options anywhere."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jituan_desktop import cli, paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.services.dataset import SECTIONS
from jituan_desktop.settings import Settings

ACTOR = "测试员"
BIN = Path(sys.executable).with_name("jituan-desktop")


def run(argv: list[str]) -> int:
    return cli.run_command(cli.parse(argv))


def dataset(data: paths.DataPaths) -> dict:
    services = open_services(data, Settings(actor_name=ACTOR))
    try:
        doc = services.dataset.export_document()
    finally:
        services.close()
    doc.pop("exported_at")
    return doc


@pytest.mark.parametrize("argv", [
    ["--demo", "--data-dir", "D", "--lang", "en", "-v", "export-json", "--out", "a.json"],
    ["export-json", "--out", "a.json", "--demo", "--data-dir", "D", "--lang", "en", "-v"],
    ["--demo", "export-json", "--data-dir", "D", "--out", "a.json", "-v", "--lang", "en"],
])
def test_global_options_may_stand_before_or_after_the_subcommand(argv) -> None:
    args = cli.parse(argv)
    assert args.command == "export-json"
    assert (args.demo, args.data_dir, args.lang, args.verbose) == (True, Path("D"), "en", True)
    assert args.out == Path("a.json")
    assert cli.data_paths(args) == paths.DataPaths(Path("D"), demo=True)


def test_without_options_the_defaults_apply() -> None:
    args = cli.parse(["import-json", "x.json"])
    assert (args.demo, args.data_dir, args.lang, args.verbose) == (False, None, None, False)
    assert args.file == Path("x.json")
    assert cli.parse([]).command is None


def test_a_missing_required_argument_exits_with_usage(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.parse(["export-json"])
    assert caught.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_export_the_demo_then_import_into_another_folder(tmp_path, capsys) -> None:
    # GIVEN the demo, exported with global options before the subcommand
    out = tmp_path / "导出" / "demo.json"
    demo_dir = tmp_path / "demo-dir"
    assert run(["--demo", "--data-dir", str(demo_dir), "export-json", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert str(out) in printed.out and printed.err == ""
    counts = {key: len(value) for key, value in json.loads(out.read_text("utf-8")).items()
              if key in SECTIONS}
    assert counts["schools"] == 5 and counts["teachers"] == 120
    # WHEN it is imported into another data folder, global options after the subcommand
    other = tmp_path / "other-dir"
    assert run(["import-json", str(out), "--data-dir", str(other)]) == 0
    printed = capsys.readouterr()
    assert str(out) in printed.out and printed.err == ""
    # THEN that folder holds the same records, and the old (empty) data was backed up
    imported = dataset(paths.DataPaths(other))
    assert {key: len(imported[key]) for key in SECTIONS} == counts
    demo = dataset(paths.DataPaths(demo_dir, demo=True))
    assert {k: v for k, v in imported.items() if k != "history"} == {
        k: v for k, v in demo.items() if k != "history"}
    assert any(paths.DataPaths(other).backups.iterdir())


@pytest.mark.parametrize("content", ['{"format": "jituan-desktop-dataset", "format_version": 99}',
                                     "not json at all", '{"schools": 5}'])
def test_importing_a_bad_file_exits_1_and_changes_nothing(tmp_path, capsys, content) -> None:
    # GIVEN the demo data and a bad file
    demo_dir = tmp_path / "demo-dir"
    data = paths.DataPaths(demo_dir, demo=True)
    before = dataset(data)
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    # WHEN it is imported
    code = run(["--demo", "--data-dir", str(demo_dir), "import-json", str(bad)])
    # THEN the exit code is 1, the problem is on stderr, and nothing changed
    printed = capsys.readouterr()
    assert code == 1
    assert str(bad) in printed.err and "  - " in printed.err
    assert printed.out == ""
    assert dataset(data) == before
    assert not data.backups.exists()


def test_messages_follow_the_lang_option(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert run(["import-json", str(bad), "--data-dir", str(tmp_path / "d"), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported" in err
    assert "This is not a Jituan Desktop data file." in err


def test_a_missing_import_file_exits_1(tmp_path, capsys) -> None:
    assert run(["import-json", str(tmp_path / "nowhere.json"),
                "--data-dir", str(tmp_path / "d")]) == 1
    assert "nowhere.json" in capsys.readouterr().err


def test_an_unusable_data_folder_exits_1_with_the_reason(tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = run(["export-json", "--out", str(tmp_path / "a.json"), "--data-dir",
                str(blocker / "data")])
    assert code == 1
    assert str(blocker / "data") in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()


def test_export_to_an_unwritable_place_exits_1(tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = run(["--data-dir", str(tmp_path / "d"), "export-json", "--out",
                str(blocker / "a.json")])
    assert code == 1
    assert capsys.readouterr().err
    assert blocker.read_text() == "x"


def test_a_newer_database_exits_1_without_touching_it(tmp_path, capsys) -> None:
    import sqlite3

    data = paths.DataPaths(tmp_path / "d")
    open_services(data, Settings(actor_name=ACTOR)).close()
    conn = sqlite3.connect(data.database)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    content = data.database.read_bytes()
    assert run(["--data-dir", str(tmp_path / "d"), "export-json", "--out",
                str(tmp_path / "a.json")]) == 1
    assert "9999" in capsys.readouterr().err
    assert data.database.read_bytes() == content


def test_app_main_dispatches_subcommands_without_the_gui(tmp_path, capsys) -> None:
    if importlib.util.find_spec("jituan_desktop.app") is None:
        pytest.skip("jituan_desktop/app.py does not exist yet")
    from jituan_desktop import app

    qt_loaded_before = "PySide6.QtWidgets" in sys.modules
    out = tmp_path / "a.json"
    assert app.main(["--data-dir", str(tmp_path / "d"), "export-json", "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["schools"] == []
    # a headless command does not load the widgets (unless an earlier test already did)
    assert ("PySide6.QtWidgets" in sys.modules) == qt_loaded_before


def test_the_installed_command_exports_and_imports(tmp_path) -> None:
    if not BIN.exists() or importlib.util.find_spec("jituan_desktop.app") is None:
        pytest.skip("the jituan-desktop command is not installed yet")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "demo.json"
    done = subprocess.run([str(BIN), "--demo", "--data-dir", str(tmp_path / "a"), "export-json",
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([str(BIN), "import-json", str(out), "--data-dir", str(tmp_path / "b")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    done = subprocess.run([str(BIN), "import-json", str(bad), "--data-dir", str(tmp_path / "b")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1 and done.stderr
    assert len(dataset(paths.DataPaths(tmp_path / "b"))["teachers"]) == 120
