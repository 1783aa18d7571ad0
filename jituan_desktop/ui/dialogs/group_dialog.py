"""Create or edit a group's basic charter data: name, region, policy profile, model."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from jituan_desktop.domain.charter import Group
from jituan_desktop.domain.enums import LegalStructure, StageType
from jituan_desktop.domain.profiles import PolicyProfile
from jituan_desktop.domain.validation import ValidationReport
from jituan_desktop.i18n import _, current_locale
from jituan_desktop.ui.widgets.date_field import DateEdit
from jituan_desktop.ui.widgets.validated_form import ValidatedDialog


def enum_combo(enum: type, current: object) -> QComboBox:  # type: ignore[type-arg]
    combo = QComboBox()
    for value, label in enum.choices():  # type: ignore[attr-defined]
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(getattr(current, "value", current))))
    return combo


class GroupDialog(ValidatedDialog[Group]):
    def __init__(self, parent: QWidget | None, draft: Group,
                 profiles: Mapping[str, PolicyProfile],
                 validate: Callable[[Group], ValidationReport]) -> None:
        super().__init__(parent)
        self._original = draft
        self._profiles = profiles
        self._validate = validate
        self.setWindowTitle(_("New group") if draft.id is None else _("Edit group"))
        self.setMinimumWidth(560)
        form = QFormLayout()
        self.content.addLayout(form)
        self.name = QLineEdit(draft.name)
        self.name.setPlaceholderText(_("e.g. 余姚市阳明教育共同体"))
        self.add_row(form, _("Full name"), "name", self.name)
        self.short_name = QLineEdit(draft.short_name)
        self.add_row(form, _("Short name"), "short_name", self.short_name)
        self.region = QLineEdit(draft.region)
        self.add_row(form, _("Region"), "region", self.region)
        self.profile = QComboBox()
        for profile in profiles.values():
            self.profile.addItem(profile.display_name(current_locale()), profile.id)
        self.profile.setCurrentIndex(max(0, self.profile.findData(draft.profile_id)))
        self.add_row(form, _("Policy profile"), "profile_id", self.profile)
        self.model = QComboBox()
        self.add_row(form, _("Cooperation model"), "model_label", self.model)
        self.slogans = QLabel()
        self.slogans.setWordWrap(True)
        self.slogans.setObjectName("hint")
        form.addRow("", self.slogans)
        self.legal = enum_combo(LegalStructure, draft.legal_structure)
        self.add_row(form, _("Legal structure"), "legal_structure", self.legal)
        self.stage_type = enum_combo(StageType, draft.stage_type)
        self.add_row(form, _("Stages"), "stage_type", self.stage_type)
        self.zone = QLineEdit(draft.zone)
        self.add_row(form, _("Zone (片区, optional)"), "zone", self.zone)
        self.founded_on = DateEdit(draft.founded_on, optional=True)
        self.add_row(form, _("Founded on"), "founded_on", self.founded_on)
        self.notes = QPlainTextEdit(draft.notes)
        self.notes.setFixedHeight(70)
        self.add_row(form, _("Notes"), "notes", self.notes)
        self.profile.currentIndexChanged.connect(lambda _i: self._fill_models(None))
        self.model.currentIndexChanged.connect(lambda _i: self._model_chosen())
        self._fill_models(draft.model_label)
        self.revalidate()

    def _fill_models(self, wanted: str | None) -> None:
        profile = self._profiles.get(self.profile.currentData())
        self.model.blockSignals(True)
        self.model.clear()
        for model in profile.models if profile else ():
            self.model.addItem(model.local_label, model.local_label)
        self.model.setCurrentIndex(max(0, self.model.findData(wanted)) if wanted else 0)
        self.model.blockSignals(False)
        self._model_chosen()

    def _model_chosen(self) -> None:
        profile = self._profiles.get(self.profile.currentData())
        model = profile.model(self.model.currentData() or "") if profile else None
        headings = model.headings if model else ()
        self.slogans.setText(_("Management focus: {items}").format(items="、".join(headings))
                             if headings else "")
        if model and model.legal_structure:
            self.legal.setCurrentIndex(max(0, self.legal.findData(model.legal_structure)))

    def draft(self) -> Group:
        return dataclasses.replace(
            self._original, name=self.name.text().strip(),
            short_name=self.short_name.text().strip(), region=self.region.text().strip(),
            profile_id=self.profile.currentData() or "", model_label=self.model.currentData() or "",
            legal_structure=LegalStructure(self.legal.currentData()),
            stage_type=StageType(self.stage_type.currentData()), zone=self.zone.text().strip(),
            founded_on=self.founded_on.value(), notes=self.notes.toPlainText())

    def validate(self, draft: Group) -> ValidationReport:
        return self._validate(draft)

    @classmethod
    def edit(cls, parent: QWidget | None, draft: Group, profiles: Mapping[str, PolicyProfile],
             validate: Callable[[Group], ValidationReport]) -> Group | None:
        return cls(parent, draft, profiles, validate).ask()
