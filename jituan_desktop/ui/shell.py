"""Assemble the main window: pages in navigation order and the menu bar."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from jituan_desktop.i18n import _
from jituan_desktop.ui.commands import AppCommands
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.main_window import MainWindow
from jituan_desktop.ui.pages.agreements_page import AgreementsPage
from jituan_desktop.ui.pages.calendar_page import CalendarPage
from jituan_desktop.ui.pages.charter_page import CharterPage
from jituan_desktop.ui.pages.courses_page import CoursesPage
from jituan_desktop.ui.pages.history_page import HistoryPage
from jituan_desktop.ui.pages.placements_page import PlacementsPage
from jituan_desktop.ui.pages.recycle_bin_page import RecycleBinPage
from jituan_desktop.ui.pages.research_page import ResearchPage
from jituan_desktop.ui.pages.rotations_page import RotationsPage
from jituan_desktop.ui.pages.schools_page import SchoolsPage
from jituan_desktop.ui.pages.teachers_page import TeachersPage

PAGES = [CharterPage, SchoolsPage, TeachersPage, CoursesPage, ResearchPage,
         RotationsPage, AgreementsPage, PlacementsPage, CalendarPage, HistoryPage, RecycleBinPage]


def build_main_window(ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx, PAGES)
    commands = AppCommands(ctx, window)
    window.commands = commands  # type: ignore[attr-defined]
    file_menu = _("&File")
    charter = window.pages[0]
    window.add_menu_action(file_menu, _("New group…"), charter.new_group)  # type: ignore[attr-defined]
    window.add_menu_action(file_menu, _("Export all data (JSON)…"), commands.export_json,
                           QKeySequence("Ctrl+E"))
    window.add_menu_action(file_menu, _("Import data (JSON)…"), commands.import_json)
    window.add_menu_action(file_menu, _("Back up the database now"), commands.backup_now)
    window.add_menu_action(file_menu, _("Quit"), window.close, QKeySequence.StandardKey.Quit)
    from jituan_desktop.ui.dialogs.sign_dialog import install_signing_actions

    install_signing_actions(window, ctx)
    window.add_menu_action(_("&Settings"), _("Settings…"), commands.settings,
                           QKeySequence.StandardKey.Preferences)
    window.add_menu_action(_("&Help"), _("About Jituan Desktop"), commands.about)
    return window
