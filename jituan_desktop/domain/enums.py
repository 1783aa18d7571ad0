"""Closed vocabularies of the domain. Values are stored in the database and JSON exports;
labels are translated at display time with ``label()``."""

from __future__ import annotations

from enum import StrEnum

from jituan_desktop.i18n import N_, _


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry an English source label for gettext."""

    @classmethod
    def _labels(cls) -> dict[str, str]:
        raise NotImplementedError

    def label(self) -> str:
        return _(self._labels()[self.value])

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label()) for m in cls]


class Stage(LabeledEnum):
    KINDERGARTEN = "kindergarten"
    PRIMARY = "primary"
    JUNIOR = "junior"
    NINE_YEAR = "nine_year"
    SENIOR = "senior"
    COMPLETE_SECONDARY = "complete_secondary"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "kindergarten": N_("Kindergarten"),
            "primary": N_("Primary school"),
            "junior": N_("Junior secondary"),
            "nine_year": N_("Nine-year school"),
            "senior": N_("Senior secondary"),
            "complete_secondary": N_("Complete secondary"),
        }


class SchoolRole(LabeledEnum):
    CORE = "core"
    MEMBER = "member"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"core": N_("Core school"), "member": N_("Member school")}


class LegalStructure(LabeledEnum):
    SINGLE = "single"
    MULTI = "multi"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"single": N_("One legal person"), "multi": N_("Several legal persons")}


class LeaderRole(LabeledEnum):
    LEADER = "leader"
    DEPUTY = "deputy"
    MEMBER = "member"
    LIAISON = "liaison"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "leader": N_("Group leader"),
            "deputy": N_("Deputy leader"),
            "member": N_("Member"),
            "liaison": N_("Liaison"),
        }


class CadreRank(LabeledEnum):
    """Rank used by placement rules (HY-01: 中层副职以上)."""

    NONE = "none"
    MIDDLE_DEPUTY = "middle_deputy"
    MIDDLE = "middle"
    SCHOOL_LEADER = "school_leader"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "none": N_("Teacher (no cadre rank)"),
            "middle_deputy": N_("Deputy middle manager"),
            "middle": N_("Middle manager"),
            "school_leader": N_("School leader"),
        }


class TeacherTitle(LabeledEnum):
    SENIOR_PRO = "senior_professor"
    SENIOR = "senior"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    UNRATED = "unrated"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "senior_professor": N_("Professor-level senior teacher"),
            "senior": N_("Senior teacher"),
            "first": N_("First-grade teacher"),
            "second": N_("Second-grade teacher"),
            "third": N_("Third-grade teacher"),
            "unrated": N_("Not yet rated"),
        }


class SectionKind(LabeledEnum):
    RULES_OF_PROCEDURE = "rules_of_procedure"
    DECISION_PROCEDURE = "decision_procedure"
    COORDINATION = "coordination"
    POWERS_LIST = "powers_list"
    CUSTOM = "custom"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "rules_of_procedure": N_("Rules of procedure"),
            "decision_procedure": N_("Decision procedure"),
            "coordination": N_("Coordination mechanism"),
            "powers_list": N_("List of powers"),
            "custom": N_("Other section"),
        }


class PlanKind(LabeledEnum):
    THREE_YEAR = "three_year"
    ANNUAL = "annual"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"three_year": N_("Three-year plan"), "annual": N_("Annual work plan")}


class StageType(LabeledEnum):
    SAME_STAGE = "same_stage"
    CROSS_STAGE = "cross_stage"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {"same_stage": N_("Same stage"), "cross_stage": N_("Across stages")}
