"""Print a PDF through the system print dialog, with Qt's print preview: each page is
rendered at the printer's resolution (at most 300 dpi) and drawn onto A4."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from jituan_desktop.i18n import _

MAX_DPI = 300


def make_printer(title: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF has its own margins
    printer.setDocName(title)
    return printer


def paint_pdf(printer: QPrinter, data: bytes) -> int:
    """Draw every page of ``data`` onto ``printer``; returns the number of pages."""
    from jituan_desktop.ui.widgets.pdf_preview import render_pages

    dpi = min(MAX_DPI, printer.resolution())
    images = render_pages(data, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return len(images)


def preview_dialog(parent: QWidget | None, data: bytes, title: str) -> QPrintPreviewDialog:
    """The print preview of ``data``; its print button opens the system print dialog."""
    printer = make_printer(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print preview: {title}").format(title=title))
    dialog.paintRequested.connect(lambda p: paint_pdf(p, data))
    dialog._printer = printer  # type: ignore[attr-defined]  # keep it alive with the dialog
    return dialog


def print_with_preview(parent: QWidget | None, data: bytes, title: str) -> None:
    dialog = preview_dialog(parent, data, title)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
