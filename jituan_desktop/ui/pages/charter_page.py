"""The charter page (章程): the group's basic data, member schools with their history,
leadership group, charter sections and plans."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jituan_desktop.domain.calendar import school_year_of
from jituan_desktop.domain.charter import CharterSection, Group, Leader, Membership, Plan
from jituan_desktop.domain.enums import LeaderRole, PlanKind, SchoolRole, SectionKind
from jituan_desktop.domain.profiles import strength_label
from jituan_desktop.i18n import _, current_locale, format_date, format_number, ngettext
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.charter_item_dialogs import LeaderDialog, PlanDialog, SectionDialog
from jituan_desktop.ui.dialogs.group_dialog import GroupDialog
from jituan_desktop.ui.dialogs.membership_dialog import MembershipDialog
from jituan_desktop.ui.models.record_table import Column
from jituan_desktop.ui.pages.base import Page
from jituan_desktop.ui.widgets.list_panel import ListPanel


def today() -> dt.date:
    """Today's date (a function, so tests can choose the day)."""
    return dt.date.today()


def _text_html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p style='margin:4px 0'>{html.escape(line)}</p>"
                         for line in body.splitlines() if line.strip())
    placeholder = _("(not written yet)")  # outside the f-string, where extraction sees it
    empty = f"<p style='color:#888'>{html.escape(placeholder)}</p>"
    return f"<h3>{html.escape(title)}</h3>{paragraphs or empty}"


class CharterPage(Page):
    kinds = frozenset({"group", "membership", "leader", "charter_section", "plan", "school",
                       "teacher", "recycle_bin"})

    @staticmethod
    def title() -> str:
        return _("Charter")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.group: Group | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_header())
        self.tabs = QTabWidget()
        self.members = ListPanel(
            [Column(_("School"), lambda m: m.school_name),
             Column(_("Role"), lambda m: m.role_label or m.role.label()),
             Column(_("Joined"), lambda m: m.joined_on),
             Column(_("Last day"), lambda m: m.left_on),
             Column(_("Status"), lambda m: _("member") if m.left_on is None or
                    m.left_on >= dt.date.today() else _("left")),
             Column(_("Basis / reason"), lambda m: m.leave_reason or m.join_note)],
            add=(_("Add school…"), self.add_member),
            edit=(_("Edit…"), self.edit_member),
            extra=[(_("Leaves the group…"), self.end_member)],
            delete=(_("Delete entry"), self.delete_member))
        self.leaders = ListPanel(
            [Column(_("Role"), lambda x: x.role.label(),
                    sort_key=lambda x: list(LeaderRole).index(x.role)),
             Column(_("Name"), lambda x: x.person_name),
             Column(_("School"), lambda x: x.school_name),
             Column(_("Position"), lambda x: x.position),
             Column(_("Duties"), lambda x: x.duty)],
            add=(_("Add person…"), self.add_leader), edit=(_("Edit…"), self.edit_leader),
            delete=(_("Remove"), lambda x: self._delete("leader", x.id, x.person_name)))
        self.sections = ListPanel(
            [Column(_("Section"), lambda x: x.title, sort_key=lambda x: x.sort_order),
             Column(_("Kind"), lambda x: x.kind.label()),
             Column(_("Characters"), lambda x: format_number(len(x.body)),
                    sort_key=lambda x: len(x.body), align_right=True)],
            add=(_("Add section…"), self.add_section), edit=(_("Edit…"), self.edit_section),
            delete=(_("Delete"), lambda x: self._delete("charter_section", x.id, x.title)),
            detail=lambda x: _text_html(x.title, x.body))
        self.plans = ListPanel(
            [Column(_("Kind"), lambda x: x.kind.label()),
             Column(_("Period"), lambda x: x.period_label, sort_key=lambda x: x.start_year),
             Column(_("Title"), lambda x: x.title)],
            add=(_("Add plan…"), self.add_plan), edit=(_("Edit…"), self.edit_plan),
            delete=(_("Delete"), lambda x: self._delete("plan", x.id, x.title)),
            detail=lambda x: _text_html(x.title, x.body))
        self.tabs.addTab(self.members, _("Member schools"))
        self.tabs.addTab(self.leaders, _("Leadership group"))
        self.tabs.addTab(self.sections, _("Charter sections"))
        self.tabs.addTab(self.plans, _("Plans"))
        layout.addWidget(self.tabs, 1)
        self.request_refresh()

    # ---- header -----------------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("group_header")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setStyleSheet("#group_header { background: #f5f7fb; border: 1px solid #d8dee9; "
                            "border-radius: 6px; }")
        grid = QGridLayout(frame)
        self.name_label = QLabel()
        self.name_label.setObjectName("group_name")
        self.name_label.setStyleSheet("font-size: 18pt; font-weight: bold; color: #1f3a68;")
        self.facts_label = QLabel()
        self.facts_label.setWordWrap(True)
        self.slogan_label = QLabel()
        self.slogan_label.setWordWrap(True)
        self.slogan_label.setStyleSheet("color: #7a2e0e;")
        self.limit_label = QLabel()
        self.limit_label.setWordWrap(True)
        self.limit_label.setObjectName("member_limit")
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.facts_label, 1, 0)
        grid.addWidget(self.slogan_label, 2, 0)
        grid.addWidget(self.limit_label, 3, 0)
        buttons = QHBoxLayout()
        self.edit_button = QPushButton(_("Edit group data…"))
        self.edit_button.clicked.connect(self.edit_group)
        self.new_button = QPushButton(_("New group…"))
        self.new_button.clicked.connect(self.new_group)
        self.delete_button = QPushButton(_("Delete group…"))
        self.delete_button.setToolTip(_("Move this group with its charter to the recycle bin"))
        self.delete_button.clicked.connect(self.delete_group)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        grid.addLayout(buttons, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        return frame

    def _show_header(self, members: list[Membership]) -> None:
        group = self.group
        self.edit_button.setEnabled(group is not None)
        self.delete_button.setEnabled(group is not None)
        self.tabs.setEnabled(group is not None)
        if group is None:
            self.name_label.setText(_("No group yet"))
            self.facts_label.setText(_("Create your group with “New group…”: its name, region, "
                                       "policy profile and cooperation model."))
            self.slogan_label.setText("")
            self.limit_label.setText("")
            return
        profile = self.ctx.services.groups.profile_of(group)
        self.name_label.setText(group.name)
        facts = [group.region, profile.display_name(current_locale()) if profile else
                 group.profile_id, f"{group.model_label}", group.legal_structure.label(),
                 group.stage_type.label()]
        if group.founded_on:
            facts.append(_("founded {date}").format(date=format_date(group.founded_on)))
        self.facts_label.setText(" · ".join(f for f in facts if f))
        model = profile.model(group.model_label) if profile else None
        self.slogan_label.setText(_("Management focus: {items}").format(
            items="、".join(model.headings)) if model and model.headings else "")
        today = dt.date.today()
        active = [m for m in members if m.active_on(today) and m.role is SchoolRole.MEMBER]
        text = ngettext("{n} member school now, plus the core school.",
                        "{n} member schools now, plus the core school.", len(active)).format(
                            n=len(active))
        limit = profile.max_members if profile else None
        if limit is not None:
            over = len(active) > limit.value
            text += " " + _("Policy: at most {n} member schools ({strength}, {ref}).").format(
                n=limit.value, strength=strength_label(limit.strength), ref=limit.rule_ref)
            self.limit_label.setStyleSheet("color: #b45309; font-weight: bold;" if over else "")
            if over:
                text += " " + _("This group is above the limit.")
        self.limit_label.setText(text)

    # ---- refresh ----------------------------------------------------------------------------

    def refresh(self) -> None:
        services = self.ctx.services
        gid = self.ctx.group_id
        try:
            self.group = services.groups.get(gid) if gid is not None else None
        except LookupError:
            self.group = None
        if self.group is None:
            self._show_header([])
            for panel in (self.members, self.leaders, self.sections, self.plans):
                panel.set_rows([])
            return
        members = services.groups.memberships(self.group.id)
        self._show_header(members)
        self.members.set_rows(members)
        self.leaders.set_rows(services.charter.leaders(self.group.id))
        self.sections.set_rows(services.charter.sections(self.group.id))
        self.plans.set_rows(services.charter.plans(self.group.id))

    # ---- group ------------------------------------------------------------------------------

    def new_group(self) -> None:
        services = self.ctx.services
        # most users keep all their groups under one region's policy: start from the current one
        profile_id = self.group.profile_id if self.group else next(iter(services.profiles))
        draft = Group(None, "", profile_id, "", founded_on=dt.date.today())
        result = GroupDialog.edit(self, draft, services.profiles, services.groups.validate_group)
        if result is None:
            return
        group = self.ctx.write(self, lambda: services.groups.save_group(result))
        if group is not None:
            self.ctx.switch_group(group.id)
            self.tabs.setCurrentWidget(self.members)

    def edit_group(self) -> None:
        if self.group is None:
            return
        services = self.ctx.services
        result = GroupDialog.edit(self, self.group, services.profiles,
                                  services.groups.validate_group)
        if result is not None:
            self.ctx.write(self, lambda: services.groups.save_group(result))

    def delete_group(self) -> None:
        group = self.group
        if group is None or group.id is None:
            return
        text = _("Move the group “{name}” to the recycle bin?\n\nIts charter goes with it: "
                 "member schools, leadership group, charter sections and plans. The schools "
                 "and teachers themselves stay. You can restore the group with all of it from "
                 "the recycle bin.").format(name=group.name)
        if not prompts.confirm(self, _("Delete group"), text):
            return
        services = self.ctx.services
        group_id = group.id
        if self.ctx.write(self, lambda: (True, services.recycle_bin.delete("group", group_id))):
            remaining = services.groups.list()
            self.ctx.switch_group(remaining[0].id if remaining else None)

    # ---- members ----------------------------------------------------------------------------

    def _role_labels(self) -> tuple[str, str]:
        profile = self.ctx.services.groups.profile_of(self.group) if self.group else None
        if profile is None:
            return SchoolRole.CORE.label(), SchoolRole.MEMBER.label()
        return profile.role_labels(self.group.model_label if self.group else None)

    def _edit_membership(self, draft: Membership, leaving: bool = False) -> None:
        services = self.ctx.services
        schools = services.schools.list()
        if not schools:
            prompts.info(self, _("No schools yet"), _("Add the schools on the Schools page "
                                                      "first, then add them to the group."))
            return
        result = MembershipDialog.edit(self, draft, schools, self._role_labels(),
                                       services.groups.validate_membership, leaving=leaving)
        if result is not None:
            self.ctx.write(self, lambda: services.groups.save_membership(result))

    def add_member(self) -> None:
        if self.group is None:
            return
        has_core = any(m.role is SchoolRole.CORE and m.left_on is None
                       for m in self.members.list.rows())
        role = SchoolRole.MEMBER if has_core else SchoolRole.CORE
        self._edit_membership(Membership(None, self.group.id, None, role, dt.date.today()))

    def edit_member(self, membership: Membership) -> None:
        self._edit_membership(membership)

    def end_member(self, membership: Membership) -> None:
        self._edit_membership(membership, leaving=True)

    def delete_member(self, membership: Membership) -> None:
        self._delete("membership", membership.id, membership.school_name, _(
            "Only delete an entry made by mistake. A school that leaves the group should be "
            "recorded with “Leaves the group…” so that the history stays complete."))

    # ---- leaders, sections, plans -------------------------------------------------------------

    def _teachers(self) -> list:  # type: ignore[type-arg]
        if self.group is None:
            return []
        schools = {m.school_id for m in self.members.list.rows() if m.school_id is not None}
        return self.ctx.services.teachers.list(schools)

    def add_leader(self) -> None:
        if self.group is not None:
            self._save_leader(Leader(None, self.group.id, LeaderRole.MEMBER, ""))

    def edit_leader(self, leader: Leader) -> None:
        self._save_leader(leader)

    def _save_leader(self, draft: Leader) -> None:
        charter = self.ctx.services.charter
        result = LeaderDialog.edit(self, draft, self._teachers(), charter.validate_leader)
        if result is not None:
            self.ctx.write(self, lambda: charter.save_leader(result))

    def add_section(self) -> None:
        if self.group is not None:
            self._save_section(CharterSection(None, self.group.id, SectionKind.CUSTOM, ""))

    def edit_section(self, section: CharterSection) -> None:
        self._save_section(section)

    def _save_section(self, draft: CharterSection) -> None:
        charter = self.ctx.services.charter
        result = SectionDialog.edit(self, draft, charter.validate_section)
        if result is not None:
            self.ctx.write(self, lambda: charter.save_section(result))

    def add_plan(self) -> None:
        if self.group is None:
            return
        day = today()
        semester = self.ctx.services.calendar.current(day)
        year = semester.school_year if semester else school_year_of(day)
        self._save_plan(Plan(None, self.group.id, PlanKind.ANNUAL, year, ""))

    def edit_plan(self, plan: Plan) -> None:
        self._save_plan(plan)

    def _save_plan(self, draft: Plan) -> None:
        charter = self.ctx.services.charter
        result = PlanDialog.edit(self, draft, charter.validate_plan)
        if result is not None:
            self.ctx.write(self, lambda: charter.save_plan(result))

    def _delete(self, entity: str, record_id: int | None, name: str, note: str = "") -> None:
        if record_id is None:
            return
        text = _("Move “{name}” to the recycle bin?").format(name=name)
        if prompts.confirm(self, _("Delete"), f"{text}\n\n{note}".strip()):
            bin_ = self.ctx.services.recycle_bin
            self.ctx.write(self, lambda: (None, bin_.delete(entity, record_id)))
