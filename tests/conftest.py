"""Shared fixtures. Qt runs offscreen; GUI tests carry the ``gui`` marker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("JITUAN_LANG", None)

from jituan_desktop import i18n, paths
from jituan_desktop.bootstrap import Services, open_services
from jituan_desktop.settings import Settings


@pytest.fixture(autouse=True, scope="session")
def private_font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The font-discovery cache of test runs stays out of the user's cache folder."""
    before = os.environ.get("JITUAN_FONT_CACHE")
    os.environ["JITUAN_FONT_CACHE"] = str(tmp_path_factory.mktemp("font-cache") / "fonts.json")
    yield
    if before is None:
        os.environ.pop("JITUAN_FONT_CACHE", None)
    else:
        os.environ["JITUAN_FONT_CACHE"] = before


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    """Every test starts in the default language, Simplified Chinese."""
    i18n.install("zh_CN", paths.catalogs_dir())
    yield
    i18n.install("zh_CN", paths.catalogs_dir())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    """A fresh, migrated, empty database."""
    svc = open_services(paths.DataPaths(data_dir), Settings(actor_name="测试员"))
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test session and copied per test."""
    root = tmp_path_factory.mktemp("demo-template")
    svc = open_services(paths.DataPaths(root, demo=True), Settings(actor_name="测试员"))
    svc.close()
    return root


@pytest.fixture
def demo_services(demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    import shutil

    root = tmp_path / "demo-data"
    shutil.copytree(demo_template, root)
    svc = open_services(paths.DataPaths(root, demo=True), Settings(actor_name="测试员"))
    yield svc
    svc.close()
