"""The PDF preview: renders in the background, several at once, and survives being closed
while its renders run (PDFium is not thread-safe; results must not reach a deleted widget)."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PySide6.QtCore import QThreadPool, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from jituan_desktop.pdfium_lock import PDFIUM_LOCK
from jituan_desktop.ui.widgets import pdf_preview
from jituan_desktop.ui.widgets.pdf_preview import PdfPreview, render_pages


def _pdf(pages: int = 3) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        c.drawString(100, 700, f"page {n + 1}")
        c.rect(80, 80, 400, 600)
        c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture
def qt_warnings():  # type: ignore[no-untyped-def]
    """Every Qt warning (and worse) logged during the test."""
    seen: list[str] = []

    def handler(kind, _context, message) -> None:  # type: ignore[no-untyped-def]
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            seen.append(message)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)


def test_pages_are_rendered(qtbot) -> None:  # type: ignore[no-untyped-def]
    preview = PdfPreview(delay_ms=0)
    qtbot.addWidget(preview)
    preview.request(lambda: _pdf(2))
    qtbot.waitUntil(lambda: preview.page_count == 2, timeout=10000)
    assert not preview.busy


def test_renders_never_overlap_in_pdfium(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Many threads render at once; PDFium is only ever entered by one of them."""
    import pypdfium2 as pdfium

    inside = 0
    worst = 0
    original = pdfium.PdfPage.render

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal inside, worst
        inside += 1
        worst = max(worst, inside)
        time.sleep(0.002)  # widen the window a race would need
        try:
            return original(self, *args, **kwargs)
        finally:
            inside -= 1

    monkeypatch.setattr(pdfium.PdfPage, "render", counting)
    data = _pdf(3)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            assert len(render_pages(data, 40)) == 3
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert worst == 1


def test_closing_while_several_renders_run(qtbot, qt_warnings) -> None:  # type: ignore[no-untyped-def]
    """Two previews (the page's and the editor's) start renders at once, and are closed
    while the renders still run: no crash, no Qt warning, nothing delivered to them."""
    data = _pdf(4)
    started = threading.Event()

    def slow() -> bytes:
        started.set()
        time.sleep(0.05)
        return data

    holder = QWidget()
    first = PdfPreview(holder, delay_ms=0)
    second = PdfPreview(holder, delay_ms=0)
    holder.show()
    delivered: list[int] = []
    for preview in (first, second):
        preview.rendered.connect(lambda p=preview: delivered.append(id(p)))
        for _ in range(3):  # quick re-renders: each one starts a job
            preview.request(slow)
            preview._start()
    assert started.wait(5)
    holder.close()
    holder.deleteLater()
    qtbot.wait(1)  # the previews are deleted now, with their renders still running
    assert QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)  # let any queued delivery arrive (there must be none)
    assert delivered == []
    assert qt_warnings == []


def test_a_closed_preview_leaves_the_others_working(qtbot) -> None:  # type: ignore[no-untyped-def]
    survivor = PdfPreview(delay_ms=0)
    qtbot.addWidget(survivor)
    doomed = PdfPreview(delay_ms=0)
    doomed.request(lambda: _pdf(1))
    doomed._start()
    survivor.request(lambda: _pdf(2))
    doomed.deleteLater()
    qtbot.waitUntil(lambda: survivor.page_count == 2, timeout=10000)
    assert QThreadPool.globalInstance().waitForDone(10000)
    # results go only to the preview that asked
    assert survivor.page_count == 2


def test_the_lock_is_shared(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A render waits while someone else holds the PDFium lock."""
    preview = PdfPreview(delay_ms=0)
    qtbot.addWidget(preview)
    with PDFIUM_LOCK:
        preview.request(lambda: _pdf(1))
        qtbot.wait(200)
        assert preview.page_count == 0
    qtbot.waitUntil(lambda: preview.page_count == 1, timeout=10000)
    assert pdf_preview._relay() is pdf_preview._relay()
