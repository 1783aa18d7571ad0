"""Show PDF pages as images (PySide6-Essentials has no QtPdf): pypdfium2 renders the pages,
off the GUI thread, and a scroll area shows them scaled to its width."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from jituan_desktop.i18n import _


def render_pages(data: bytes, dpi: float = 100) -> list[QImage]:
    """Every page of a PDF as a white-background RGB image at ``dpi``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        images = []
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255))
            pil = bitmap.to_pil().convert("RGB")
            raw = pil.tobytes()
            image = QImage(raw, pil.width, pil.height, 3 * pil.width,
                           QImage.Format.Format_RGB888).copy()
            images.append(image)
            page.close()
        return images
    finally:
        pdf.close()


class _Signals(QObject):
    done = Signal(int, object)  # generation, list[QImage] | BaseException


class _Job(QRunnable):
    def __init__(self, signals: _Signals, generation: int, make: Callable[[], bytes],
                 dpi: float) -> None:
        super().__init__()
        self.signals = signals
        self.generation = generation
        self.make = make
        self.dpi = dpi

    def run(self) -> None:
        try:
            result: object = render_pages(self.make(), self.dpi)
        except Exception as exc:  # shown in the preview instead of pages
            result = exc
        if not shiboken6.isValid(self.signals):
            return  # the preview was closed while the pages were rendered
        with contextlib.suppress(RuntimeError):  # closed just now
            self.signals.done.emit(self.generation, result)


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
        self._signals = _Signals(self)
        self._signals.done.connect(self._deliver)
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
        QThreadPool.globalInstance().start(_Job(self._signals, self._generation, make,
                                                self._dpi))

    def _deliver(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # an older render finished after a newer one was started
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
