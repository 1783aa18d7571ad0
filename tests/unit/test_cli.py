"""Headless subcommands: export-json and import-json, with global options anywhere."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jituan_desktop import cli, i18n, paths
from jituan_desktop.bootstrap import open_services
from jituan_desktop.i18n import _
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
    assert counts["schools"] == 9 and counts["teachers"] == 160  # two demo groups
    # (counts as "label: n", so "1 groups" never appears)
    assert _("schools: {schools}, teachers: {teachers}, groups: {groups}").format(
        schools=9, teachers=160, groups=2) in printed.out
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


def test_a_missing_import_file_exits_1_and_creates_no_database(tmp_path, capsys) -> None:
    assert run(["import-json", str(tmp_path / "nowhere.json"),
                "--data-dir", str(tmp_path / "d")]) == 1
    assert "nowhere.json" in capsys.readouterr().err
    # the new data folder was not even created, let alone an empty database in it
    assert not (tmp_path / "d").exists()


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
    assert len(dataset(paths.DataPaths(tmp_path / "b"))["teachers"]) == 160


# ---- the data folder's lock ----------------------------------------------------------------

HOLD_LOCK = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print("locked" if lock.tryLock(0) else "busy", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def lock_holder():
    """Hold a data folder's lock in another process, as a running window does."""
    holders: list[subprocess.Popen[str]] = []

    def hold(data: paths.DataPaths) -> subprocess.Popen[str]:
        data.database.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(data.lock)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        holders.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        return proc

    yield hold
    for proc in holders:
        release(proc)


def release(proc: subprocess.Popen[str]) -> None:
    if proc.returncode is None:
        proc.communicate(timeout=60)  # closes its stdin: it ends, and the lock with it


@pytest.mark.parametrize("command", ["import-json", "export-json"])
def test_a_folder_open_in_a_window_is_left_alone(tmp_path, capsys, lock_holder,
                                                 command) -> None:
    # GIVEN a data folder with data, open in another copy of the program
    data = paths.DataPaths(tmp_path / "d")
    services = open_services(data, Settings(actor_name=ACTOR))
    services.close()
    before = dataset(data)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(before | {"exported_at": "x"}, ensure_ascii=False), "utf-8")
    holder = lock_holder(data)
    # WHEN a command is run on that folder
    argv = (["import-json", str(good)] if command == "import-json"
            else ["export-json", "--out", str(tmp_path / "out.json")])
    code = run([*argv, "--data-dir", str(data.root), "--lang", "en"])
    # THEN it exits 1 with a clear message, and neither imports, backs up nor exports
    printed = capsys.readouterr()
    assert code == 1 and printed.out == ""
    assert "already open" in printed.err and str(data.root) in printed.err
    assert dataset(data) == before
    assert not data.backups.exists() and not (tmp_path / "out.json").exists()
    # AND once the window is closed the command works, and leaves the folder unlocked
    release(holder)
    assert run([*argv, "--data-dir", str(data.root)]) == 0
    lock_holder(data)


# ---- language of the help and the messages ------------------------------------------------


@pytest.fixture
def parser_locale(monkeypatch) -> list[str]:
    """The language active when the parser is built, for each cli.parse()."""
    seen: list[str] = []
    build = cli.build_parser

    def recording_build():  # type: ignore[no-untyped-def]
        seen.append(i18n.current_locale())
        return build()

    monkeypatch.setattr(cli, "build_parser", recording_build)
    return seen


def test_the_language_is_chosen_before_the_parser_is_built(tmp_path, monkeypatch,
                                                           parser_locale) -> None:
    english = tmp_path / "english"
    Settings(language="en").save(paths.DataPaths(english).settings)
    chinese = tmp_path / "chinese"
    Settings(language="zh_CN").save(paths.DataPaths(chinese).settings)
    monkeypatch.setattr(paths, "default_data_dir", lambda: english)
    # the option, before or after the subcommand
    cli.parse(["--lang", "en", "import-json", "x.json", "--data-dir", str(chinese)])
    cli.parse(["import-json", "x.json", "--data-dir", str(chinese), "--lang", "en"])
    # the settings of the folder named, else of the default folder
    cli.parse(["import-json", "x.json", "--data-dir", str(chinese)])
    cli.parse(["import-json", "x.json"])
    # the environment over the settings
    monkeypatch.setenv("JITUAN_LANG", "zh_CN")
    cli.parse(["import-json", "x.json"])
    assert parser_locale == ["en", "en", "zh_CN", "en", "zh_CN"]


def test_help_texts_and_headings_are_translated(monkeypatch, capsys) -> None:
    # every text of the help goes through _() (here a translation that marks them)
    monkeypatch.setattr(cli, "_", lambda text: f"«{text}»")
    with pytest.raises(SystemExit) as caught:
        cli.parse(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for text in ("usage: ", "options", "show this help message and exit",
                 "folder for the database, backups and settings",
                 "write the whole dataset to a JSON file",
                 "user-interface language for this run"):
        assert f"«{text}»" in out
    with pytest.raises(SystemExit):
        cli.parse(["import-json", "--help"])
    assert "«the JSON file to import»" in capsys.readouterr().out


def test_chinese_help_with_lang_zh_cn(capsys) -> None:
    i18n.install("en", paths.catalogs_dir())
    with pytest.raises(SystemExit):
        cli.parse(["--lang", "zh_CN", "--help"])
    out = capsys.readouterr().out
    assert i18n.current_locale() == "zh_CN"
    assert _("folder for the database, backups and settings") in out
    assert _("log progress to the console") in out


@pytest.mark.parametrize("argv", [["--lang", "fr"], ["--data-dir"], ["--lang"]])
def test_bad_global_options_are_usage_errors(argv, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.parse(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert _("usage: ") in err and "Traceback" not in err
