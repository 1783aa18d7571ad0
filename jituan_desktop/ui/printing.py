"""Print a PDF through the system print dialog, with Qt's print preview: each page is
rendered at the printer's resolution (at most 300 dpi) and drawn onto A4. The preview opens
at about 80 % of the screen, zoomed to the page width."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
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


SCREEN_SHARE = 0.8
"""The print preview takes this share of the screen's free area (Qt's default, 533×533,
hides the print button behind the toolbar's overflow)."""
MIN_SIZE = QSize(900, 600)


def preview_size(available: QRect) -> QSize:
    """The print preview's first size on a screen whose free area is ``available``: about
    80 % of it, at least ``MIN_SIZE``, never more than the screen."""
    width = max(int(available.width() * SCREEN_SHARE), MIN_SIZE.width())
    height = max(int(available.height() * SCREEN_SHARE), MIN_SIZE.height())
    return QSize(min(width, available.width()), min(height, available.height()))


def preview_dialog(parent: QWidget | None, data: bytes, title: str) -> QPrintPreviewDialog:
    """The print preview of ``data``, sized to the screen and zoomed to the page width; its
    print button opens the system print dialog."""
    printer = make_printer(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print preview: {title}").format(title=title))
    dialog.paintRequested.connect(lambda p: paint_pdf(p, data))
    dialog._printer = printer  # type: ignore[attr-defined]  # keep it alive with the dialog
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        size = preview_size(available)
        dialog.resize(size)
        dialog.move(available.center() - QPoint(size.width() // 2, size.height() // 2))
    fit_width = dialog.findChild(QAction, "fitWidthAction")  # Qt's own toolbar action
    if fit_width is not None:
        fit_width.trigger()  # zooms and checks the toolbar button
    else:
        widget = dialog.findChild(QPrintPreviewWidget)
        if widget is not None:
            widget.fitToWidth()
    return dialog


def print_with_preview(parent: QWidget | None, data: bytes, title: str) -> None:
    dialog = preview_dialog(parent, data, title)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
