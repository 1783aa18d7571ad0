"""Guards against a broken Qt binding: PySide6 6.12.0's abi3 wheel drops a reference to
None/True on every signal emission under Python 3.11, and a long session then aborts with
"deallocating True". The pin in pyproject.toml avoids it; this test keeps it avoided."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    fired = Signal(object)


def test_signals_and_slots_keep_refcounts_of_singletons(qtbot) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda value: received.append(value))  # the slot returns None
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(2000):
        emitter.fired.emit(i)
    assert len(received) == 2000
    assert sys.getrefcount(True) - before_true > -100
    assert sys.getrefcount(None) - before_none > -100
