"""Building the Qt-free part of the program: settings, language, services, current group."""

from __future__ import annotations

import pytest

from jituan_desktop import i18n, paths
from jituan_desktop.bootstrap import current_group_id, load_settings
from jituan_desktop.settings import Settings, merge


def test_load_settings_activates_the_saved_language(data_dir) -> None:
    data = paths.DataPaths(data_dir)
    Settings(language="en", actor_name="张老师").save(data.settings)
    settings = load_settings(data)
    assert settings.actor_name == "张老师"
    assert i18n.current_locale() == "en"


def test_the_language_option_and_environment_override_the_settings(data_dir,
                                                                   monkeypatch) -> None:
    data = paths.DataPaths(data_dir)
    Settings(language="zh_CN").save(data.settings)
    load_settings(data, "en")
    assert i18n.current_locale() == "en"
    monkeypatch.setenv("JITUAN_LANG", "en")
    load_settings(data)
    assert i18n.current_locale() == "en"
    load_settings(data, "zh_CN")
    assert i18n.current_locale() == "zh_CN"


def test_an_unsupported_language_falls_back_to_chinese(data_dir) -> None:
    data = paths.DataPaths(data_dir)
    Settings(language="fr").save(data.settings)
    load_settings(data)
    assert i18n.current_locale() == "zh_CN"


def test_current_group_is_the_last_opened_else_the_first(services, add_group) -> None:
    settings = Settings()
    assert current_group_id(services, settings) is None
    add_group("甲集团")
    add_group("乙集团")
    first, second = services.groups.list()  # listed by name
    assert current_group_id(services, settings) == first.id
    assert current_group_id(services, merge(settings, current_group_id=second.id)) == second.id
    # a group that went to the recycle bin is not reopened
    services.recycle_bin.delete("group", second.id)
    assert current_group_id(services, merge(settings, current_group_id=second.id)) == first.id


def test_the_demo_remembers_its_own_current_group(demo_services) -> None:
    group = demo_services.groups.list()[0]
    settings = Settings(current_group_id=999, current_demo_group_id=group.id)
    assert current_group_id(demo_services, settings) == group.id


@pytest.mark.parametrize("demo", [False, True])
def test_data_paths_keep_the_demo_apart(tmp_path, demo) -> None:
    data = paths.DataPaths(tmp_path, demo=demo)
    assert data.database.parent == (tmp_path / "demo" if demo else tmp_path)
    assert data.backups == data.database.parent / "backups"
    assert data.settings == tmp_path / "settings.json"


def test_own_profiles_in_the_data_folder_are_offered_and_bad_ones_left_out(data_dir) -> None:
    from jituan_desktop.bootstrap import open_services

    # GIVEN the data folder's profiles/ with a copy of the custom profile under its own id,
    # one under an installed id, and one that is not a profile at all
    data = paths.DataPaths(data_dir)
    data.profiles.mkdir(parents=True)
    shipped = (paths.profiles_dir() / "custom.toml").read_text(encoding="utf-8")
    (data.profiles / "local.toml").write_text(
        shipped.replace('id = "custom"', 'id = "local"'), encoding="utf-8")
    (data.profiles / "custom.toml").write_text(shipped, encoding="utf-8")
    (data.profiles / "broken.toml").write_text("id = ", encoding="utf-8")
    # WHEN the program opens the data folder
    services = open_services(data, Settings())
    try:
        # THEN the own profile is there with the installed ones; the others are reported
        assert "local" in services.profiles and "alxa_2024" in services.profiles
        problems = {p.path.name: p.problem for p in services.profile_problems}
        assert sorted(problems) == ["broken.toml", "custom.toml"]
        assert "already used" in problems["custom.toml"]
    finally:
        services.close()
