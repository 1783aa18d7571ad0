"""Atomic writes: the target holds its old content or the new one, never half a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jituan_desktop.atomic import write_bytes_atomic, write_text_atomic


def leftovers(folder: Path, keep: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != keep)


def test_a_new_file_is_written_with_its_folders(tmp_path) -> None:
    target = tmp_path / "a" / "b" / "设置.json"
    write_text_atomic(target, "集团化办学")
    assert target.read_text(encoding="utf-8") == "集团化办学"
    assert leftovers(target.parent, target) == []


def test_an_existing_file_is_replaced(tmp_path) -> None:
    target = tmp_path / "data.bin"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert leftovers(tmp_path, target) == []


def test_if_the_rename_fails_the_old_file_is_intact_and_no_temp_file_is_left(
        tmp_path, monkeypatch) -> None:
    # GIVEN a file with old content
    target = tmp_path / "export.json"
    target.write_text("old", encoding="utf-8")

    # WHEN writing fails at the last step (the rename)
    def fail(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(target, "new " * 1000)
    # THEN the old file is untouched and nothing else is in the folder
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path, target) == []


def test_if_flushing_to_disk_fails_the_old_file_is_intact(tmp_path, monkeypatch) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"old")

    def fail(fd):  # type: ignore[no-untyped-def]
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path, target) == []


def test_an_interrupt_midway_also_cleans_up(tmp_path, monkeypatch) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(b"old")

    def interrupt(src, dst):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path, target) == []


def test_a_failed_first_write_leaves_no_file_at_all(tmp_path, monkeypatch) -> None:
    target = tmp_path / "new.json"

    def fail(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_bytes_atomic(target, b"x")
    assert list(tmp_path.iterdir()) == []


def test_written_files_get_the_usual_permissions_not_private_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    from jituan_desktop.atomic import write_bytes_atomic

    old = os.umask(0o022)
    try:
        target = tmp_path / "export.json"
        write_bytes_atomic(target, b"{}")
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    finally:
        os.umask(old)
