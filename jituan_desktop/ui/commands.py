"""Menu commands that are not tied to one page: data import/export, settings, about."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QWidget

from jituan_desktop import __version__
from jituan_desktop.i18n import _
from jituan_desktop.services.dataset import DatasetError, ImportSummary, counts_text
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext, file_error_text
from jituan_desktop.ui.dialogs.settings_dialog import SettingsDialog
from jituan_desktop.ui.tasks import report_error

JSON_FILTER = "JSON (*.json)"
EXPORT_DIR = "data_export"
IMPORT_DIR = "data_import"
"""Keys of ``settings.recent_dirs``: where the next export / import dialog starts."""


class AppCommands:
    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        self.ctx = ctx
        self.window = window

    def export_json(self) -> None:
        suggested = f"jituan-{dt.date.today():%Y%m%d}.json"
        path = prompts.save_file(self.window, _("Export all data"), JSON_FILTER, suggested,
                                 directory=self.ctx.recent_dir(EXPORT_DIR))
        if path is None:
            return
        self.ctx.remember_dir(EXPORT_DIR, path)
        dataset = self.ctx.services.dataset

        def done(counts: dict[str, int]) -> None:
            prompts.info(self.window, _("Export finished"), _("Wrote {file} ({counts}).").format(
                file=path, counts=counts_text(counts)))

        self.ctx.runner.run(_("Exporting data…"), lambda _p: dataset.export_json(path), done,
                            on_error=self._failed(_("Export failed")), parent=self.window)

    def import_json(self) -> None:
        path = prompts.open_file(self.window, _("Import data"), JSON_FILTER,
                                 directory=self.ctx.recent_dir(IMPORT_DIR))
        if path is None:
            return
        self.ctx.remember_dir(IMPORT_DIR, path)
        if not prompts.confirm(self.window, _("Import data"), _(
                "Importing replaces all schools, teachers and groups in this database with "
                "those in {file}. The current data is backed up first. Continue?").format(
                    file=path.name)):
            return
        dataset = self.ctx.services.dataset

        def done(result: tuple[ImportSummary, object]) -> None:
            summary, changes = result
            self.ctx.publish(changes)  # type: ignore[arg-type]
            prompts.info(self.window, _("Import finished"), _(
                "Imported {file} ({counts}). The previous data was backed up to {backup}.").format(
                    file=path.name, counts=counts_text(summary.counts), backup=summary.backup))

        self.ctx.runner.run(_("Importing data…"), lambda _p: dataset.import_json(Path(path)),
                            done, on_error=self._failed(_("Nothing was imported")),
                            parent=self.window)

    def _failed(self, title: str):  # type: ignore[no-untyped-def]
        def show(exc: BaseException) -> None:
            if isinstance(exc, DatasetError):
                prompts.error(self.window, title, _("The file has {n} problems; nothing was "
                                                    "changed.").format(n=len(exc.problems)),
                              details="\n".join(exc.problems[:200]))
            elif isinstance(exc, OSError | LookupError | ValueError):
                prompts.error(self.window, title, str(exc))
            else:  # a bug: log it and say so, never lose it
                report_error(self.window, exc)
        return show

    def backup_now(self) -> None:
        def done(path: Path) -> None:
            prompts.info(self.window, _("Backup made"), _("The database was copied to {file}.")
                         .format(file=path))

        self.ctx.runner.run(_("Backing up…"), lambda _p: self.ctx.services.backup("manual"),
                            done, on_error=self._failed(_("Backup failed")), parent=self.window)

    def settings(self) -> None:
        result = SettingsDialog.edit(self.window, self.ctx.settings, self.ctx.runner)
        if result is None:
            return
        language_changed = result.language != self.ctx.settings.language
        self.ctx.settings.language = result.language
        self.ctx.settings.actor_name = result.actor_name
        self.ctx.settings.pdf_body_font = result.pdf_body_font  # used by the next PDF
        self.ctx.settings.pdf_title_font = result.pdf_title_font
        if result.actor_name:
            self.ctx.services.db.actor = result.actor_name
        failure = self.ctx.save_settings()
        if failure is not None:
            reason = file_error_text(failure, self.ctx.services.data.settings)
            if language_changed:
                text = _("The language could not be saved, so the program will start in the "
                         "previous language next time. {reason}").format(reason=reason)
            else:
                text = _("The settings could not be saved; they apply only until the program "
                         "is closed. {reason}").format(reason=reason)
            prompts.error(self.window, _("Settings not saved"), text, details=str(failure))
        elif language_changed:
            prompts.info(self.window, _("Language"), _("The new language is used from the next "
                                                       "start of the program."))

    def about(self) -> None:
        data = self.ctx.services.data
        prompts.info(self.window, _("About Jituan Desktop"), _(
            "Jituan Desktop {version}\nWorkbench for school education groups.\n\n"
            "Data folder: {folder}").format(version=__version__, folder=data.database.parent))
