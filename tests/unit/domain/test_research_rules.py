"""ALX-20, YY-06 and YY-12 at their boundaries, with the params of the shipped profiles."""

from __future__ import annotations

import datetime as dt

import pytest

from jituan_desktop import paths
from jituan_desktop.domain.profiles import load_profiles
from jituan_desktop.domain.research import ResearchType
from jituan_desktop.domain.rules import evaluate, rules_in_scope
from jituan_desktop.domain.rules.research import SemesterFacts, SessionFact, SyncFacts, YearFacts
from jituan_desktop.i18n import format_date

DAY = dt.date(2025, 10, 8)


@pytest.fixture(scope="module")
def profiles():
    return load_profiles(paths.profiles_dir())


def fact(subject: str = "语文", kind: ResearchType = ResearchType.COLLECTIVE_PREP,
         day: dt.date = DAY, schools: int = 2, session_id: int | None = None) -> SessionFact:
    return SessionFact(session_id, day, subject, kind, schools)


def semester(facts: list[SessionFact], subjects: tuple[str, ...] = ("语文",)) -> SemesterFacts:
    return SemesterFacts("2025—2026学年第一学期", subjects, tuple(facts))


def test_alx20_four_sessions_of_a_subject_in_a_semester_break_the_rule(profiles) -> None:
    [finding] = evaluate(profiles["alxa_2024"], "research_semester",
                         semester([fact() for _i in range(4)]))
    assert finding.rule_id == "ALX-20" and finding.broken
    assert "4" in finding.message and "5" in finding.message
    assert "「集团内各学科联合教研每学期应不少于5次」" in finding.explanation()


def test_alx20_five_sessions_meet_the_rule(profiles) -> None:
    [finding] = evaluate(profiles["alxa_2024"], "research_semester",
                         semester([fact() for _i in range(5)]))
    assert finding.rule_id == "ALX-20" and not finding.broken


def test_alx20_counts_only_sessions_with_enough_schools(profiles) -> None:
    facts = [fact() for _i in range(4)] + [fact(schools=1)]
    [finding] = evaluate(profiles["alxa_2024"], "research_semester", semester(facts))
    assert finding.broken  # min_schools_per_session = 2: a one-school session does not count


def test_alx20_reports_every_subject_even_one_without_sessions(profiles) -> None:
    findings = evaluate(profiles["alxa_2024"], "research_semester",
                        semester([fact() for _i in range(5)], ("语文", "数学")))
    assert [f.broken for f in findings] == [False, True]


def test_alx20_threshold_comes_from_the_profile_params(profiles) -> None:
    [rule] = [r for r in profiles["alxa_2024"].rules if r.id == "ALX-20"]
    assert rule.params["value"] == 5


def test_a_yuyao_group_does_not_see_alx20(profiles) -> None:
    assert evaluate(profiles["yuyao_2020"], "research_semester", semester([fact()])) == []


def test_yy06_one_seminar_in_a_school_year_breaks_the_rule(profiles) -> None:
    facts = YearFacts("2025—2026学年", (fact(kind=ResearchType.SEMINAR),
                                        fact(kind=ResearchType.FORUM)))
    [finding] = evaluate(profiles["yuyao_2020"], "research_year", facts)
    assert finding.rule_id == "YY-06" and finding.broken


def test_yy06_two_seminars_meet_the_rule(profiles) -> None:
    facts = YearFacts("2025—2026学年", (fact(kind=ResearchType.SEMINAR),
                                        fact(kind=ResearchType.SEMINAR)))
    [finding] = evaluate(profiles["yuyao_2020"], "research_year", facts)
    assert not finding.broken


def test_an_alxa_group_does_not_see_yy06(profiles) -> None:
    assert rules_in_scope(profiles["alxa_2024"], "research_year") == []


def sync(debrief_after_days: int | None, today: dt.date = dt.date(2026, 1, 1)) -> SyncFacts:
    lesson = fact(kind=ResearchType.SYNC_CLASS, session_id=1)
    sessions = [lesson]
    if debrief_after_days is not None:
        sessions.append(fact(kind=ResearchType.SYNC_DEBRIEF,
                             day=DAY + dt.timedelta(days=debrief_after_days)))
    return SyncFacts(lesson, tuple(sessions), today, "协作型")


def test_yy12_debrief_on_day_n_is_in_time(profiles) -> None:
    days = next(r for r in profiles["yuyao_2020"].rules if r.id == "YY-12").params["value"]
    [finding] = evaluate(profiles["yuyao_2020"], "research_session", sync(days))
    assert finding.rule_id == "YY-12" and not finding.broken


def test_yy12_debrief_on_day_n_plus_one_is_late(profiles) -> None:
    days = next(r for r in profiles["yuyao_2020"].rules if r.id == "YY-12").params["value"]
    [finding] = evaluate(profiles["yuyao_2020"], "research_session", sync(days + 1))
    assert finding.broken


def test_yy12_missing_debrief_is_pending_until_the_deadline_then_broken(profiles) -> None:
    days = next(r for r in profiles["yuyao_2020"].rules if r.id == "YY-12").params["value"]
    deadline = DAY + dt.timedelta(days=days)
    [pending] = evaluate(profiles["yuyao_2020"], "research_session", sync(None, deadline))
    assert not pending.broken
    [late] = evaluate(profiles["yuyao_2020"], "research_session",
                      sync(None, deadline + dt.timedelta(days=1)))
    assert late.broken


def test_yy12_a_debrief_of_another_subject_does_not_count(profiles) -> None:
    lesson = fact(kind=ResearchType.SYNC_CLASS, session_id=1)
    other = fact(subject="数学", kind=ResearchType.SYNC_DEBRIEF, day=DAY)
    [finding] = evaluate(profiles["yuyao_2020"], "research_session",
                         SyncFacts(lesson, (lesson, other), dt.date(2026, 1, 1), "协作型"))
    assert finding.broken


def test_yy12_applies_only_to_the_model_named_in_its_params(profiles) -> None:
    lesson = fact(kind=ResearchType.SYNC_CLASS, session_id=1)
    facts = SyncFacts(lesson, (lesson,), dt.date(2026, 1, 1), "共建型")
    assert evaluate(profiles["yuyao_2020"], "research_session", facts) == []


def test_yy06_applies_to_zone_groups_only(profiles) -> None:
    """YY-06 is a 片区 rule: the profile names the model, other Yuyao models are not checked."""
    [rule] = [r for r in profiles["yuyao_2020"].rules if r.id == "YY-06"]
    assert rule.params["model"] == "片区学校教共体"
    assert rule.params["model"] in {m.local_label for m in profiles["yuyao_2020"].models}
    one = (fact(kind=ResearchType.SEMINAR),)
    zone = YearFacts("2025—2026学年", one, group_model="片区学校教共体")
    collab = YearFacts("2025—2026学年", one, group_model="协作型")
    [finding] = evaluate(profiles["yuyao_2020"], "research_year", zone)
    assert finding.rule_id == "YY-06" and finding.broken
    assert evaluate(profiles["yuyao_2020"], "research_year", collab) == []


@pytest.mark.parametrize(("today", "broken"), [
    (dt.date(2026, 7, 10), False), (dt.date(2026, 7, 11), True)])
def test_yy06_is_not_yet_due_until_the_school_year_ends(profiles, today, broken) -> None:
    facts = YearFacts("2025—2026学年", (fact(kind=ResearchType.SEMINAR),),
                      ends_on=dt.date(2026, 7, 10), today=today,
                      group_model="片区学校教共体")
    [finding] = evaluate(profiles["yuyao_2020"], "research_year", facts)
    assert finding.broken is broken
    # the not-yet-due wording names the school year's last day
    assert (format_date(dt.date(2026, 7, 10)) in finding.message) is not broken


@pytest.mark.parametrize(("today", "broken"), [
    (dt.date(2025, 10, 8), False), (dt.date(2026, 1, 31), False),
    (dt.date(2026, 2, 1), True)])
def test_alx20_is_not_yet_due_until_the_semester_ends(profiles, today, broken) -> None:
    facts = SemesterFacts("2025—2026学年第一学期", ("语文",), (fact(),),
                          ends_on=dt.date(2026, 1, 31), today=today)
    [finding] = evaluate(profiles["alxa_2024"], "research_semester", facts)
    assert finding.rule_id == "ALX-20" and finding.broken is broken
