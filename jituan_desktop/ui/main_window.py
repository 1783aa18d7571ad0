"""The main window: a thin shell of navigation, current-group switcher, menus and pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from jituan_desktop.i18n import _
from jituan_desktop.services.base import Changes
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.pages.base import Page


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, pages: list[type[Page]]) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self._window_title())
        self.setMinimumSize(QSize(960, 620))
        self.pages: list[Page] = []
        self._menus: dict[str, QMenu] = {}
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(168)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        for page_class in pages:
            page = page_class(ctx, self.stack)  # hidden and not loaded until shown
            self.pages.append(page)
            self.stack.addWidget(page)
            item = QListWidgetItem(page_class.title())
            item.setSizeHint(QSize(160, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.stack.currentChanged.connect(self._page_changed)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self._build_status_bar()
        ctx.bus.changed.connect(self._on_changes)
        ctx.bus.group_switched.connect(self._show_current_group)
        self._reload_groups()
        self.nav.setCurrentRow(0)
        self._page_changed(self.stack.currentIndex())
        if ctx.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(ctx.settings.window_geometry.encode()))
        else:
            self.resize(1200, 780)

    def _window_title(self) -> str:
        title = _("Jituan Desktop – education group workbench")
        demo = _("Demo data")
        return f"{title} [{demo}]" if self.ctx.services.data.demo else title

    # ---- chrome -----------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar(_("Group"))
        bar.setObjectName("group_toolbar")
        bar.setMovable(False)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(QLabel(_("Current group:")))
        self.group_box = QComboBox()
        self.group_box.setObjectName("group_switcher")
        self.group_box.setMinimumWidth(320)
        self.group_box.currentIndexChanged.connect(self._group_chosen)
        row.addWidget(self.group_box)
        bar.addWidget(holder)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def add_menu_action(self, menu_title: str, text: str, slot: Callable[[], object],
                        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
                        ) -> QAction:
        """Add a command to the menu ``menu_title`` (created on first use)."""
        menu = self._menus.get(menu_title)
        if menu is None:
            menu = self._menus[menu_title] = self.menuBar().addMenu(menu_title)
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_status_bar(self) -> None:
        data = self.ctx.services.data
        label = QLabel(_("Database: {path}").format(path=data.database))
        label.setObjectName("database_label")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(label)
        if data.demo:
            demo = QLabel(_("Demo data – not your real records"))
            demo.setStyleSheet("color: #b45309; font-weight: bold;")
            self.statusBar().addWidget(demo)

    # ---- groups -----------------------------------------------------------------------------

    def _reload_groups(self) -> None:
        groups = self.ctx.services.groups.list()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for group in groups:
            self.group_box.addItem(group.name, group.id)
        index = self.group_box.findData(self.ctx.group_id)
        if index < 0 and groups:
            index = 0
        self.group_box.setCurrentIndex(index)
        self.group_box.blockSignals(False)
        chosen = self.group_box.currentData()
        if chosen != self.ctx.group_id:
            self.ctx.switch_group(chosen)

    def _show_current_group(self, group_id: int | None) -> None:
        """Keep the switcher in step when a page switches the group (e.g. after "New group")."""
        index = self.group_box.findData(group_id)
        if index != self.group_box.currentIndex():
            self.group_box.blockSignals(True)
            self.group_box.setCurrentIndex(index)
            self.group_box.blockSignals(False)

    def _group_chosen(self, index: int) -> None:
        self.ctx.switch_group(self.group_box.itemData(index) if index >= 0 else None)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("group", "recycle_bin"):
            self._reload_groups()

    def _page_changed(self, index: int) -> None:
        # a shown window refreshes the page in its showEvent; this covers a window that is
        # built (or switched) before it is shown
        page = self.stack.widget(index)
        if isinstance(page, Page):
            page.refresh_if_stale()

    def show_page(self, page_class: type[Page]) -> Page:
        for row, page in enumerate(self.pages):
            if isinstance(page, page_class):
                self.nav.setCurrentRow(row)
                return page
        raise LookupError(page_class)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.window_geometry = bytes(
            self.saveGeometry().toBase64().data()).decode()
        self.ctx.save_settings()
        runner = self.ctx.runner
        if hasattr(runner, "shutdown"):
            runner.cancel_all()
            runner.shutdown()
        super().closeEvent(event)
