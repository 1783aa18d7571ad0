"""Helpers shared by the Qt-free unit tests (no PySide6 import anywhere below tests/unit)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from jituan_desktop.bootstrap import Services
from jituan_desktop.domain.charter import Group, Membership
from jituan_desktop.domain.enums import SchoolRole
from jituan_desktop.domain.schools import School
from jituan_desktop.persistence.models import Base

ACTOR = "测试员"  # the actor of the conftest databases


def table_counts(services: Services) -> dict[str, int]:
    """Rows per table, the append-only history (audit_log) included."""
    with services.db.reading() as s:
        return {name: s.scalar(select(func.count()).select_from(table)) or 0
                for name, table in Base.metadata.tables.items()}


def dataset_without_timestamp(services: Services) -> dict[str, Any]:
    """The whole export document, minus the moment it was made."""
    doc = services.dataset.export_document()
    doc.pop("exported_at")
    return doc


@pytest.fixture
def counts() -> Callable[[Services], dict[str, int]]:
    return table_counts


@pytest.fixture
def snapshot() -> Callable[[Services], dict[str, Any]]:
    """Everything in the database (rows and history) as one comparable value."""

    def take(services: Services) -> dict[str, Any]:
        return {"counts": table_counts(services), "data": dataset_without_timestamp(services)}

    return take


@pytest.fixture
def add_school(services: Services) -> Callable[..., School]:
    def add(name: str, **fields: Any) -> School:
        school, _changes = services.schools.save(School(None, name, **fields))
        return school

    return add


@pytest.fixture
def add_group(services: Services) -> Callable[..., Group]:
    def add(name: str, profile_id: str = "alxa_2024", model_label: str = "共建型") -> Group:
        group, _changes = services.groups.save_group(Group(None, name, profile_id, model_label))
        return group

    return add


@pytest.fixture
def join(services: Services) -> Callable[..., Membership]:
    """Save a new membership period through the service (validated)."""

    def save(group: Group, school: School, role: SchoolRole, joined_on: Any,
             **fields: Any) -> Membership:
        membership, _changes = services.groups.save_membership(Membership(
            None, group.id, school.id, role, joined_on, **fields))
        return membership

    return save
