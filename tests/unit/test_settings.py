"""Settings in settings.json: defaults, round trip, damaged files."""

from __future__ import annotations

import json

import pytest

from jituan_desktop.i18n import DEFAULT_LOCALE
from jituan_desktop.settings import Settings, merge


def test_a_missing_file_gives_the_defaults(tmp_path) -> None:
    settings = Settings.load(tmp_path / "settings.json")
    assert settings == Settings()
    assert settings.language == DEFAULT_LOCALE == "zh_CN"
    assert settings.actor_name == "" and settings.current_group_id is None


def test_settings_round_trip_with_chinese_text(tmp_path) -> None:
    path = tmp_path / "sub" / "settings.json"
    settings = Settings(language="en", actor_name="张老师", current_group_id=3,
                        current_demo_group_id=1, window_geometry="AdnQywAD",
                        recent_dirs={"import": "/home/张老师/文档"})
    settings.save(path)
    assert Settings.load(path) == settings
    assert "张老师" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


@pytest.mark.parametrize("content", [b"{broken", b"\xff\xfe garbage", b""])
def test_a_damaged_file_gives_the_defaults(tmp_path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert Settings.load(path) == Settings()


def test_unknown_keys_from_another_version_are_ignored(tmp_path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"actor_name": "李老师", "theme": "dark"}), encoding="utf-8")
    assert Settings.load(path) == Settings(actor_name="李老师")


@pytest.mark.parametrize("content", ["[1, 2]", "42", '"zh_CN"', "null"])
def test_a_settings_file_that_is_not_an_object_gives_the_defaults(tmp_path, content) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    assert Settings.load(path) == Settings()


def test_merge_returns_a_new_value() -> None:
    settings = Settings(actor_name="张老师")
    merged = merge(settings, language="en", current_group_id=7)
    assert (merged.language, merged.current_group_id, merged.actor_name) == ("en", 7, "张老师")
    assert settings.language == "zh_CN" and settings.current_group_id is None
