"""Policy profiles: the shipped files load, carry each region's own wording, and cite the seeds."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from jituan_desktop.domain.profiles import (
    STRENGTHS,
    PolicyProfile,
    ProfileError,
    load_profile,
    load_profiles,
)

ROOT = Path(__file__).resolve().parents[3]
PROFILES = ROOT / "resources" / "profiles"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DOMAIN_MD = SHARED / "design" / "DOMAIN.md"

EXPECTED_ORDER = ["alxa_2024", "yuyao_2020", "huaiyuan", "shanghai_2015", "suzhou_2024",
                  "custom"]


@pytest.fixture(scope="module")
def profiles() -> dict[str, PolicyProfile]:
    return load_profiles(PROFILES)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _fragments(quote: str) -> list[str]:
    """The 「…」 parts of a quote (several for a multi-part citation), else the whole text."""
    return re.findall(r"「(.*?)」", quote) or [quote]


def _cited_texts(profile: PolicyProfile) -> list[tuple[str, str]]:
    """(where, text) for every piece of seed wording the profile claims to quote."""
    out = [(f"rule {r.id}", frag) for r in profile.rules for frag in _fragments(r.quote)]
    for m in profile.models:
        for name, items in (("slogans", m.slogans), ("focus_areas", m.focus_areas),
                            ("assessment_dimensions", m.assessment_dimensions)):
            if items:
                out.append((f"model {m.local_label} {name}", "、".join(items)))
        out += [(f"model {m.local_label} quote", f) for q in m.quotes for f in _fragments(q)]
    for a in profile.agreements:
        out += [(f"agreement {a.title}", f) for f in _fragments(a.quote)]
        out += [(f"agreement {a.title} title", t) for t in (a.title, *a.alt_titles)]
    if profile.max_members:
        out += [("max_members", f) for f in _fragments(profile.max_members.quote)]
    out += [(f"slogan set {s.label_en}", item) for s in profile.scheme_slogans
            for item in s.items]
    return out


def test_every_shipped_profile_loads_in_sort_order(profiles: dict[str, PolicyProfile]) -> None:
    assert list(profiles) == EXPECTED_ORDER
    assert sorted(p.stem for p in PROFILES.glob("*.toml")) == sorted(EXPECTED_ORDER)
    for path in PROFILES.glob("*.toml"):
        profile = load_profile(path)
        assert profile.id == path.stem
        assert profile.models
        assert all(r.strength in STRENGTHS for r in profile.rules)


def test_slogans_belong_to_their_region(profiles: dict[str, PolicyProfile]) -> None:
    yuyao = profiles["yuyao_2020"].model("融合型")
    alxa = profiles["alxa_2024"].model("融合型")
    assert yuyao is not None and alxa is not None
    assert yuyao.slogans == ("师资同盘", "教学同步", "研训同频", "文化同系", "考核一体")
    assert alxa.slogans == ("师资互派", "资源共享", "统一教学", "捆绑考核")
    assert yuyao.canonical == alxa.canonical == "merged"
    yuyao_co_built = profiles["yuyao_2020"].model("共建型")
    assert yuyao_co_built is not None
    assert yuyao_co_built.slogans[-1] == "考核捆绑"
    assert profiles["custom"].model("融合型").slogans == alxa.slogans  # type: ignore[union-attr]


def test_role_labels_follow_the_document(profiles: dict[str, PolicyProfile]) -> None:
    yuyao, alxa = profiles["yuyao_2020"], profiles["alxa_2024"]
    assert yuyao.core_role_labels[0] == "支援校"
    assert yuyao.member_role_labels[0] == "受援校"
    assert yuyao.role_labels("共建型") == ("支援校", "受援校")
    assert yuyao.role_labels("片区学校教共体") == ("片区长学校", "成员校")
    assert alxa.role_labels() == ("核心校", "成员校")
    assert profiles["huaiyuan"].role_labels() == ("牵头校", "成员校")
    assert profiles["custom"].role_labels() == ("核心校", "成员校")


def test_member_limits_and_models(profiles: dict[str, PolicyProfile]) -> None:
    limit = profiles["alxa_2024"].max_members
    assert limit is not None
    assert (limit.value, limit.strength, limit.rule_ref, limit.counts_core) == \
        (4, "default", "ALX-04", False)
    rule = profiles["alxa_2024"].rule("group.max_members")
    assert rule is not None and rule.id == "ALX-04" and rule.params["value"] == 4
    merged = profiles["yuyao_2020"].model("融合型教共体")  # the full label finds it too
    assert merged is not None
    assert (merged.min_members, merged.max_members, merged.legal_structure) == (1, 2, "single")
    assert all(p.max_members is None for k, p in profiles.items() if k != "alxa_2024")
    assert profiles["alxa_2024"].model("一体管理型") is None
    assert profiles["alxa_2024"].rule("no.such.rule") is None


def test_agreement_basis(profiles: dict[str, PolicyProfile]) -> None:
    yuyao = profiles["yuyao_2020"].agreement_for("共建型")
    assert yuyao is not None
    assert yuyao.title == "余姚市城乡义务教育共同体合作协议"
    assert yuyao.alt_titles == ("教共体建设协议书",)
    assert yuyao.parties == ("支援学校", "受援学校") and yuyao.per_pair
    alxa = profiles["alxa_2024"]
    assert alxa.agreement_for("协作型").title == "委托管理协议"  # type: ignore[union-attr]
    assert alxa.model("协作型").requires_agreement  # type: ignore[union-attr]
    assert alxa.agreement_for("融合型") is None
    shanghai = profiles["shanghai_2015"].agreement_for("委托管理式")
    assert shanghai is not None and shanghai.parties == ("区县教育行政部门", "优质学校")
    assert profiles["custom"].agreements == ()


def test_suzhou_is_meeting_announced(profiles: dict[str, PolicyProfile]) -> None:
    suzhou = profiles["suzhou_2024"]
    assert suzhou.normative is False
    assert suzhou.status_label("zh_CN") == "会议部署"
    assert suzhou.documents[0].kind == "news_report"
    assert [k for k, p in profiles.items() if not p.normative] == ["suzhou_2024", "custom"]


def test_documents_dates_and_names(profiles: dict[str, PolicyProfile]) -> None:
    yuyao = profiles["yuyao_2020"]
    assert yuyao.documents[0].doc_number == "余教〔2020〕155号"
    assert yuyao.valid_from == dt.date(2020, 12, 31)
    assert profiles["huaiyuan"].valid_from is None
    assert profiles["huaiyuan"].documents[0].date is None
    assert profiles["shanghai_2015"].documents[0].doc_number == "沪教委基〔2015〕80号"
    assert yuyao.display_name("zh_CN").startswith("余姚市")
    assert yuyao.display_name("en").startswith("Yuyao")


def test_no_shipped_profile_limits_a_school_to_one_group(
        profiles: dict[str, PolicyProfile]) -> None:
    for profile in profiles.values():
        assert profile.exclusive_membership is False, profile.id
        assert profile.exclusive_membership_ref == ""
        assert profile.exclusive_membership_citation == ""
        assert profile.exclusive_membership_note


def test_rules_are_read_only_data(profiles: dict[str, PolicyProfile]) -> None:
    rule = profiles["huaiyuan"].rule("placement.cadre_exercise")
    assert rule is not None
    assert (rule.id, rule.strength, rule.params["max_days_inclusive"]) == \
        ("HY-01", "must_not", 14)
    with pytest.raises(TypeError):
        rule.params["max_days_inclusive"] = 30  # type: ignore[index]
    alxa_rotation = profiles["alxa_2024"].rule("rotation.min_share_of_eligible")
    assert alxa_rotation is not None
    assert alxa_rotation.params["target_filter"] == ("is_weak", "is_rural")
    assert profiles["shanghai_2015"].rules == () and profiles["custom"].rules == ()


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found at {SEEDS}")
def test_every_quote_appears_in_its_seed(profiles: dict[str, PolicyProfile]) -> None:
    missing = []
    assert [k for k, p in profiles.items() if not p.documents] == ["custom"]
    for profile in profiles.values():
        if not profile.documents:  # the neutral profile quotes no document
            continue
        seeds = [_norm((SEEDS / d.seed_file).read_text(encoding="utf-8"))
                 for d in profile.documents]
        for where, text in _cited_texts(profile):
            if not any(_norm(text) in seed for seed in seeds):
                missing.append(f"{profile.id}: {where}: {text}")
    assert not missing, "not found in the seed text:\n" + "\n".join(missing)
    assert sum(len(p.rules) for p in profiles.values()) >= 25


@pytest.mark.skipif(not DOMAIN_MD.is_file(), reason=f"design notes not found at {DOMAIN_MD}")
def test_rule_quotes_match_the_rulebook(profiles: dict[str, PolicyProfile]) -> None:
    rulebook = DOMAIN_MD.read_text(encoding="utf-8")
    for profile in profiles.values():
        for rule in profile.rules:
            assert rule.quote in rulebook, f"{profile.id} {rule.id}"
            assert f"| {rule.id} |" in rulebook, f"{profile.id} {rule.id} is not in DOMAIN.md"


# ---- malformed files ----------------------------------------------------------------------

VALID = """\
id = "local"
sort_order = 1
display_name_zh = "本地"
display_name_en = "Local"
region_zh = "本地"
region_en = "Local"
normative = false
status_label_zh = "本地设置"
status_label_en = "Local settings"
valid_from = ""
documents = []

[roles]
core = ["核心校"]
member = ["成员校"]

[exclusive_membership]
value = false
rule = ""
quote = ""

[[models]]
local_label = "共建型"
canonical = "co_built"

[[rules]]
id = "X-01"
key = "a.b"
strength = "must"
quote = "「甲」"
source = "doc"
"""


def _write(tmp_path: Path, text: str, name: str = "local") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_profile_loads(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, VALID))
    assert profile.id == "local" and profile.rule("a.b").id == "X-01"  # type: ignore[union-attr]
    assert profile.rules[0].params == {}


@pytest.mark.parametrize(("old", "new", "message"), [
    ('canonical = "co_built"\n', "", "missing required key 'canonical' in models[0]"),
    ('display_name_en = "Local"\n', "", "missing required key 'display_name_en'"),
    ('strength = "must"', 'strength = "should"', "unknown strength 'should'"),
    ('sort_order = 1', 'sort_order = "1"', "'sort_order' must be an integer, not str"),
    ('normative = false', 'normative = 0', "'normative' must be true or false"),
    ('canonical = "co_built"', 'canonical = "cobuilt"', "unknown canonical 'cobuilt'"),
    ('valid_from = ""', 'valid_from = "2024-13-01"', "is not a YYYY-MM-DD date"),
    ('source = "doc"\n', 'source = "doc"\nparam = {}\n', "unexpected key(s): param"),
    ('id = "local"', 'id = "other"', "does not match the file name"),
    ('canonical = "co_built"\n', 'canonical = "co_built"\nrequires_agreement = true\n',
     "requires an agreement but no agreement lists it"),
    ("[[rules]]", "[[rules]]\nid = \"X-01\"\nkey = \"c\"\nstrength = \"may\"\nquote = \"「乙」\"\n"
     "source = \"doc\"\n\n[[rules]]", "duplicate rule id 'X-01'"),
    ("value = false", "value = true", "exclusive membership needs the rule and quote"),
    ("id = ", "id = = ", "not valid TOML"),
])
def test_malformed_profile_names_file_and_problem(tmp_path: Path, old: str, new: str,
                                                  message: str) -> None:
    assert old in VALID
    path = _write(tmp_path, VALID.replace(old, new, 1))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_load_profiles_orders_by_sort_order_not_file_name(tmp_path: Path) -> None:
    _write(tmp_path, VALID.replace('id = "local"', 'id = "a_first"')
           .replace("sort_order = 1", "sort_order = 20"), "a_first")
    _write(tmp_path, VALID.replace('id = "local"', 'id = "b_second"')
           .replace("sort_order = 1", "sort_order = 10"), "b_second")
    assert list(load_profiles(tmp_path)) == ["b_second", "a_first"]
    with pytest.raises(ProfileError, match="does not exist"):
        load_profiles(tmp_path / "absent")
