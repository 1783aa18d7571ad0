"""``jituan-desktop agreement render|sign|verify`` headless: exit codes, JSON, passphrases."""

from __future__ import annotations

import io
import json

import pytest

from jituan_desktop import cli
from jituan_desktop.bootstrap import open_services
from jituan_desktop.paths import DataPaths
from jituan_desktop.settings import Settings
from tests.unit.signing.conftest import PASSPHRASE, agreement_with_fields, identities  # noqa: F401


def run(argv: list[str]) -> int:
    return cli.run_command(cli.parse(argv))


@pytest.fixture
def files(tmp_path, identities, monkeypatch):  # noqa: F811
    monkeypatch.setenv("JITUAN_P12_PASSPHRASE", PASSPHRASE)
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(agreement_with_fields())
    return tmp_path, pdf, identities["a"].path, identities["b"].path


def test_two_parties_sign_headless_and_verify_exits_0(files, capsys) -> None:
    folder, pdf, p12_a, p12_b = files
    data = ["--data-dir", str(folder / "data"), "--lang", "en"]
    assert run([*data, "agreement", "sign", str(pdf), "--identity", str(p12_a), "--party", "1",
                "--out", str(folder / "s1.pdf"), "--role", "校长"]) == 0
    assert run(["agreement", "sign", str(folder / "s1.pdf"), "--identity", str(p12_b),
                "--party", "2", "--out", str(folder / "s2.pdf"), *data]) == 0
    assert "locked" in capsys.readouterr().out
    assert run([*data, "agreement", "verify", str(folder / "s2.pdf"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["complete"] and report["locked"]
    assert [s["party"]["order"] for s in report["signatures"]] == [1, 2]
    assert {s["time_source"] for s in report["signatures"]} == {"signer_clock"}
    assert run([*data, "agreement", "verify", str(folder / "s2.pdf")]) == 0
    text = capsys.readouterr().out
    assert "Verdict:" in text and "no timestamp" in text and "Known identity: no" in text


def test_verify_exits_1_for_a_changed_or_unsigned_file(files, capsys) -> None:
    folder, pdf, p12_a, _b = files
    data = ["--data-dir", str(folder / "data")]
    assert run([*data, "agreement", "verify", str(pdf)]) == 1  # no signature at all
    assert run([*data, "agreement", "sign", str(pdf), "--identity", str(p12_a), "--party", "1",
                "--out", str(folder / "s1.pdf")]) == 0
    raw = bytearray((folder / "s1.pdf").read_bytes())
    raw[300] ^= 0x01
    (folder / "bad.pdf").write_bytes(bytes(raw))
    capsys.readouterr()
    assert run([*data, "agreement", "verify", str(folder / "bad.pdf"), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_a_wrong_passphrase_fails_clearly_and_writes_nothing(files, monkeypatch, capsys) -> None:
    folder, pdf, p12_a, _b = files
    monkeypatch.setenv("JITUAN_P12_PASSPHRASE", "wrong-one-99")
    out = folder / "never.pdf"
    assert run(["--data-dir", str(folder / "data"), "--lang", "en", "agreement", "sign",
                str(pdf), "--identity", str(p12_a), "--party", "1", "--out", str(out)]) == 1
    assert "passphrase is wrong" in capsys.readouterr().err
    assert not out.exists()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".never")] == []


def test_out_of_order_and_non_party_are_refused(files, capsys) -> None:
    folder, pdf, _p12_a, p12_b = files
    data = ["--data-dir", str(folder / "data"), "--lang", "en"]
    assert run([*data, "agreement", "sign", str(pdf), "--identity", str(p12_b), "--party", "2",
                "--out", str(folder / "o.pdf")]) == 1
    assert "Out of order" in capsys.readouterr().err
    assert run([*data, "agreement", "sign", str(pdf), "--identity", str(p12_b), "--party", "1",
                "--out", str(folder / "o.pdf")]) == 1
    assert "Not a party" in capsys.readouterr().err
    assert not (folder / "o.pdf").exists()


def test_the_passphrase_is_read_from_standard_input_without_the_variable(files, monkeypatch,
                                                                          ) -> None:
    folder, pdf, p12_a, _b = files
    monkeypatch.delenv("JITUAN_P12_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert run(["--data-dir", str(folder / "data"), "agreement", "sign", str(pdf), "--identity",
                str(p12_a), "--party", "1", "--out", str(folder / "s.pdf")]) == 0


def test_there_is_no_passphrase_argument(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.parse(["agreement", "sign", "a.pdf", "--identity", "x.p12", "--party", "1",
                   "--out", "b.pdf", "--passphrase", "secret"])
    assert caught.value.code == 2
    help_text = cli.build_parser()._subparsers._group_actions[0].choices[
        "agreement"].format_help()
    assert "render" in help_text and "verify" in help_text


def test_render_writes_the_current_groups_agreement_ready_for_signing(tmp_path, capsys) -> None:
    data = DataPaths(tmp_path, demo=True)
    services = open_services(data, Settings())
    has_agreements = hasattr(services, "agreements")
    services.close()
    if not has_agreements:
        pytest.skip("the agreement documents (AgreementService) are not in this tree yet")
    out = tmp_path / "demo.pdf"
    assert run(["--demo", "--data-dir", str(tmp_path), "agreement", "render", "--out",
                str(out)]) == 0
    from jituan_desktop.signing.agreement_info import read_parties

    info = read_parties(out.read_bytes())
    assert len(info.parties) >= 2


def _demo_agreement_status(tmp_path) -> tuple[object, object] | None:
    services = open_services(DataPaths(tmp_path, demo=True), Settings())
    try:
        agreements = getattr(services, "agreements", None)
        if agreements is None:
            return None
        from jituan_desktop.bootstrap import current_group_id

        group_id = current_group_id(services, Settings())
        agreement_id = agreements.latest_for_group(group_id)
        return agreement_id, agreements.get(agreement_id).status
    finally:
        services.close()


def test_render_says_that_it_finalises_and_draft_does_not(tmp_path, capsys) -> None:
    from jituan_desktop.signing.agreement_info import read_parties
    from jituan_desktop.signing.errors import SigningError

    before = _demo_agreement_status(tmp_path)
    if before is None:
        pytest.skip("the agreement documents (AgreementService) are not in this tree yet")
    base = ["--demo", "--data-dir", str(tmp_path), "--lang", "en", "agreement", "render"]
    draft = tmp_path / "draft.pdf"
    assert run([*base, "--draft", "--out", str(draft)]) == 0
    assert "still a draft" in capsys.readouterr().out
    assert _demo_agreement_status(tmp_path) == before
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    assert list(enumerate_sig_fields(PdfFileReader(io.BytesIO(draft.read_bytes())))) == []
    final = tmp_path / "final.pdf"
    assert run([*base, "--out", str(final)]) == 0
    assert "now finalised" in capsys.readouterr().out
    assert str(_demo_agreement_status(tmp_path)[1]).lower().endswith("final")
    try:
        assert len(read_parties(final.read_bytes()).parties) >= 2
    except SigningError:  # pragma: no cover - the document side writes no parties
        pytest.fail("the finalised PDF names no parties")
