"""Show PDF pages as images (PySide6-Essentials has no QtPdf): pypdfium2 renders the pages,
off the GUI thread, and a scroll area shows them scaled to its width."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from jituan_desktop.i18n import _
from jituan_desktop.pdfium_lock import PDFIUM_LOCK

_preview_ids = itertools.count(1)


def render_pages(data: bytes, dpi: float = 100) -> list[QImage]:
    """Every page of a PDF as a white-background RGB image at ``dpi``, with the appearances
    of its form fields (the parties' signatures and seals) drawn.

    PDFium is not thread-safe: the whole render holds ``PDFIUM_LOCK`` and closes every
    PDFium object itself (none is left to the garbage collector of another thread).

    ``pypdfium2.PdfiumError`` for data that is not a PDF (or a damaged one)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            # without the form environment PDFium leaves signature fields blank: a signed
            # agreement would print as if unsigned
            pdf.init_forms()
            images = []
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255),
                                         may_draw_forms=True)
                    try:
                        pil = bitmap.to_pil().convert("RGB")  # a copy: the bitmap can go
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                raw = pil.tobytes()
                images.append(QImage(raw, pil.width, pil.height, 3 * pil.width,
                                     QImage.Format.Format_RGB888).copy())
            return images
        finally:
            pdf.close()


class _Relay(QObject):
    """Carries finished renders to the GUI thread. One for the process, never deleted: a
    worker may emit at any time, even after the preview that asked was closed. Each preview
    connects its slot (Qt drops the connection, and any queued delivery, when the preview
    is deleted) and takes only results with its own id and newest generation."""

    done = Signal(int, int, object)  # preview id, generation, list[QImage] | BaseException


_relay_object: _Relay | None = None


def _relay() -> _Relay:
    """The relay, made on first use (on the GUI thread, by the first preview)."""
    global _relay_object
    if _relay_object is None:
        _relay_object = _Relay()
    return _relay_object


class _Job(QRunnable):
    def __init__(self, relay: _Relay, preview_id: int, generation: int,
                 make: Callable[[], bytes], dpi: float) -> None:
        super().__init__()
        self.relay = relay
        self.preview_id = preview_id
        self.generation = generation
        self.make = make
        self.dpi = dpi

    def run(self) -> None:
        try:
            result: object = render_pages(self.make(), self.dpi)
        except Exception as exc:  # shown in the preview instead of pages
            result = exc
        # the relay lives as long as the process: emitting is safe even when the preview
        # was closed meanwhile (its connection is gone, nothing is delivered)
        self.relay.done.emit(self.preview_id, self.generation, result)


class PdfPreview(QScrollArea):
    """Pages of a PDF, one below the other. ``request(make_pdf)`` renders in the background,
    ``delay_ms`` after the last request (debounced typing); only the newest result shows."""

    rendered = Signal()  # new pages are on screen
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, delay_ms: int = 400,
                 dpi: float = 100) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setObjectName("pdfPreview")
        self._dpi = dpi
        self._generation = 0
        self._pending: Callable[[], bytes] | None = None
        self._images: list[QImage] = []
        self._id = next(_preview_ids)
        _relay().done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._inner = QWidget()
        self._inner.setStyleSheet("background: #808080;")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(_("No document to show."))
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: white;")
        self._layout.addWidget(self.message)
        self.setWidget(self._inner)

    @property
    def page_count(self) -> int:
        return len(self._images)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._pending is not None

    def request(self, make_pdf: Callable[[], bytes]) -> None:
        """Render the PDF ``make_pdf()`` returns (called on a worker thread)."""
        self._pending = make_pdf
        self._timer.start()

    def clear(self, text: str = "") -> None:
        self._timer.stop()
        self._pending = None
        self._generation += 1
        self._images = []
        self._show_pages()
        self.message.setText(text or _("No document to show."))
        self.message.show()

    def _start(self) -> None:
        make, self._pending = self._pending, None
        if make is None:
            return
        self._generation += 1
        self.message.setText(_("Updating the preview…"))
        QThreadPool.globalInstance().start(_Job(_relay(), self._id, self._generation, make,
                                                self._dpi))

    @Slot(int, int, object)  # a real slot: Qt disconnects it when the preview is deleted
    def _deliver(self, preview_id: int, generation: int, result: object) -> None:
        if preview_id != self._id or generation != self._generation:
            return  # another preview's, or an older render finished after a newer one
        if isinstance(result, BaseException):
            self._images = []
            self._show_pages()
            self.message.setText(_("The preview could not be made: {error}").format(
                error=result))
            self.message.show()
            self.failed.emit(str(result))
            return
        self._images = list(result)  # type: ignore[call-overload]
        self.message.hide()
        self._show_pages()
        self.rendered.emit()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._show_pages()

    def _show_pages(self) -> None:
        while self._layout.count() > 1:
            item = self._layout.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        width = max(200, self.viewport().width() - 40)
        for image in self._images:
            label = QLabel()
            pixmap = QPixmap.fromImage(image).scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setFixedSize(pixmap.size())  # never squeezed by the scroll area
            self._layout.addWidget(label)
            # a child added while the preview is hidden (pages rendered while another page
            # of the window showed) would stay hidden: not explicitly hidden, it shows with it
            label.show()
