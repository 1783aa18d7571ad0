"""The teacher import, on the generic import layer (``xlsx_import_dialog``).

The teachers page chooses the workbook, reads it with ``services.teacher_import`` and asks
``TeacherImportDialog.review(parent, preview)`` — the generic preview (every row with its
errors; Import only when all rows are valid) — which is True when the user chose Import; the
page then commits with ``commit_in_background(…, TEACHER_TEXTS)``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from jituan_desktop.i18n import N_, _
from jituan_desktop.services.xlsx_import import ImportPreview
from jituan_desktop.ui.dialogs.xlsx_import_dialog import ImportPreviewDialog, ImportTexts

TEACHER_TEXTS = ImportTexts(
    importing=N_("Importing teachers…"),
    imported=N_("{n} teachers were added."),
    cancelled=N_("The import was cancelled; no teacher was added."),
    all_correct=N_("All rows are correct. Import adds {n} teachers."),
    fix_rows=N_("Nothing is imported until every row is correct. Fix the workbook and open it "
                "again."),
)


class TeacherImportDialog(ImportPreviewDialog):
    """The preview of a teacher workbook; accepted when the user chose Import."""

    def __init__(self, parent: QWidget | None, preview: ImportPreview[Any]) -> None:
        super().__init__(parent, _("Import teachers from {file}").format(
            file=preview.path.name), TEACHER_TEXTS)
        self.resize(1000, 600)
        self.show_preview(preview)

    @classmethod
    def review(cls, parent: QWidget | None, preview: ImportPreview[Any]) -> bool:
        """Show the preview modally; True when the user chose Import."""
        dialog = cls(parent, preview)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
