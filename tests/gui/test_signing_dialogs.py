"""Signing in the GUI: identities, the sign dialog end to end on the demo agreement, and the
verify dialog's verdicts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from jituan_desktop.services.signing import NewIdentity
from jituan_desktop.signing.agreement_info import read_parties
from jituan_desktop.ui.dialogs import sign_dialog, verify_dialog
from jituan_desktop.ui.dialogs.identity_dialogs import IdentitiesDialog, NewIdentityDialog
from jituan_desktop.ui.dialogs.sign_dialog import SignDialog, sign_with_dialog
from jituan_desktop.ui.dialogs.verify_dialog import VerifyDialog

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in the English source text."""
    from jituan_desktop import i18n, paths

    i18n.install("en", paths.catalogs_dir())
    yield
    i18n.install("zh_CN", paths.catalogs_dir())

PASSPHRASE = "ganbei-2026!"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def demo_pdf(demo_ctx, tmp_path) -> tuple[Path, dict[int, int]]:
    """The demo group's agreement exported for signing; identity ids for parties 1 and 2."""
    agreements = demo_ctx.services.agreements
    path = tmp_path / "agreement.pdf"
    agreements.export_pdf(agreements.latest_for_group(demo_ctx.group_id), path)
    info = read_parties(path.read_bytes())
    schools = {s.name: s.id for s in demo_ctx.services.schools.list()}
    identities = {}
    for party, person in zip(info.parties[:2], ("王校长", "李校长"), strict=True):
        identity, _changes = demo_ctx.services.signing.create(NewIdentity(
            schools[party.school_name], person, PASSPHRASE, PASSPHRASE))
        identities[party.order] = identity.id
    return path, identities


def seal(path: Path) -> Path:
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 392, 392), outline=(200, 20, 20, 220), width=14)
    draw.regular_polygon((200, 200, 55), 5, fill=(200, 20, 20, 220))
    image.save(path)
    return path


def sign_as(qtbot, monkeypatch, ctx, source: Path, identity_id: int, output: Path,
            seal_png: Path | None = None) -> SignDialog:
    dialog = SignDialog(None, ctx, source)
    qtbot.addWidget(dialog)
    dialog.identity.setCurrentIndex(dialog.identity.findData(identity_id))
    dialog.passphrase.setText(PASSPHRASE)
    dialog.output.setText(str(output))
    if seal_png:
        dialog.seal.setText(str(seal_png))
    assert dialog.report.ok, dialog.report.text()
    chosen = dialog.draft()
    monkeypatch.setattr(SignDialog, "ask", lambda _self: chosen)
    sign_with_dialog(None, ctx, source)
    return dialog


def test_two_schools_sign_the_demo_agreement_and_the_verify_dialog_says_valid(
        qtbot, monkeypatch, demo_ctx, demo_pdf, no_modal_prompts, tmp_path) -> None:
    source, ids = demo_pdf
    stamp = seal(tmp_path / "seal.png")
    first = sign_as(qtbot, monkeypatch, demo_ctx, source, ids[1], tmp_path / "s1.pdf", stamp)
    assert first.party.currentData() == 1 and "1 of 4" in first.turn.text()
    assert no_modal_prompts[-1][0] == "info" and "USB" in no_modal_prompts[-1][2]
    second = SignDialog(None, demo_ctx, tmp_path / "s1.pdf")
    qtbot.addWidget(second)
    assert second.party.currentData() == 2  # the next party is preselected
    sign_as(qtbot, monkeypatch, demo_ctx, tmp_path / "s1.pdf", ids[2], tmp_path / "s2.pdf",
            stamp)
    assert no_modal_prompts[-1][0] == "info"
    dialog = VerifyDialog(None, demo_ctx, tmp_path / "s2.pdf")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.report.ok and not dialog.report.complete
    assert "2 of 4" in dialog.verdict.text()
    assert dialog.table.item(0, 0).text() == "Valid"
    assert "SHA-256" in dialog.details.toPlainText()
    # the columns fit: the time whole, no horizontal scroll bar, no repeated text
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    assert not table.horizontalScrollBar().isVisible()
    assert table.columnWidth(verify_dialog.TIME) >= table.sizeHintForColumn(verify_dialog.TIME)
    row = dialog.report.signatures[0]
    assert table.item(0, verify_dialog.SIGNER).text() == (
        f"{row.signer_name} ({row.signer_organisation})")
    assert table.item(0, verify_dialog.KNOWN).text() == "yes"  # its own school: not repeated
    assert "clock" in table.item(0, verify_dialog.TIME).toolTip()
    dialog.resize(980, 560)
    if os.environ.get("JITUAN_SCREENSHOTS"):
        dialog.grab().save(str(SCREENSHOTS / "verify.png"))
        first.grab().save(str(tmp_path / "sign_dialog.png"))


def test_a_wrong_passphrase_says_so_and_writes_nothing(qtbot, monkeypatch, demo_ctx, demo_pdf,
                                                       no_modal_prompts, tmp_path) -> None:
    source, ids = demo_pdf
    dialog = SignDialog(None, demo_ctx, source)
    qtbot.addWidget(dialog)
    dialog.identity.setCurrentIndex(dialog.identity.findData(ids[1]))
    dialog.passphrase.setText("wrong-passphrase-1")
    dialog.output.setText(str(tmp_path / "out.pdf"))
    chosen = dialog.draft()
    monkeypatch.setattr(SignDialog, "ask", lambda _self: chosen)
    sign_with_dialog(None, demo_ctx, source)
    assert no_modal_prompts[-1][0] == "error" and "passphrase" in no_modal_prompts[-1][2]
    assert not (tmp_path / "out.pdf").exists()


def test_the_sign_form_explains_what_is_missing(qtbot, demo_ctx, demo_pdf, tmp_path) -> None:
    source, _ids = demo_pdf
    dialog = SignDialog(None, demo_ctx, None)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    (tmp_path / "not.pdf").write_bytes(b"hello")
    dialog.source.setText(str(tmp_path / "not.pdf"))
    assert "not a PDF" in dialog.report["source"]
    dialog.source.setText(str(source))
    dialog.output.setText(str(source))
    assert "new file" in dialog.report["output"]
    dialog.party.setCurrentIndex(dialog.party.findData(2))
    assert "Out of order" in dialog.report["party"]


def test_a_tampered_file_is_shown_as_broken(qtbot, monkeypatch, demo_ctx, demo_pdf,
                                            tmp_path) -> None:
    source, ids = demo_pdf
    sign_as(qtbot, monkeypatch, demo_ctx, source, ids[1], tmp_path / "s1.pdf")
    raw = bytearray((tmp_path / "s1.pdf").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    (tmp_path / "bad.pdf").write_bytes(bytes(raw))
    dialog = VerifyDialog(None, demo_ctx, tmp_path / "bad.pdf")
    qtbot.addWidget(dialog)
    assert not dialog.report.ok
    assert "Do not rely" in dialog.verdict.text()
    assert "1 of its signatures is broken" in dialog.verdict.text()  # ngettext, singular


def test_signer_and_known_identity_texts(monkeypatch) -> None:
    zh = {"{name} ({organisation})": "{name}（{organisation}）", "yes": "是", "no": "否",
          "yes: {school}": "是：{school}"}
    monkeypatch.setattr(verify_dialog, "_", lambda text: zh.get(text, text))
    assert verify_dialog.signer_text("王建华", "第一实验小学") == "王建华（第一实验小学）"
    assert verify_dialog.signer_text("王建华", "") == "王建华"
    assert verify_dialog.known_text(None, None, "一小") == "否"
    assert verify_dialog.known_text("一小 — 王建华", "一小", "一小") == "是"
    assert verify_dialog.known_text("二小 — 苏日娜", "二小", "一小") == "是：二小"


def test_identities_are_created_listed_and_deleted(qtbot, monkeypatch, demo_ctx,
                                                   no_modal_prompts) -> None:
    new = NewIdentityDialog(None, demo_ctx)
    qtbot.addWidget(new)
    new.representative.setText("张明")
    new.passphrase.setText("short")
    new.passphrase_again.setText("other")
    report = new.report
    assert "passphrase" in report and "passphrase_again" in report
    assert not new.ok_button.isEnabled()
    new.passphrase.setText(PASSPHRASE)
    new.passphrase_again.setText(PASSPHRASE)
    assert new.report.ok and new.strength.text()
    chosen = new.draft()
    monkeypatch.setattr(NewIdentityDialog, "ask", lambda _self: chosen)
    monkeypatch.setattr("jituan_desktop.ui.dialogs.identity_dialogs.FingerprintDialog.exec",
                        lambda _self: 0)
    dialog = IdentitiesDialog(None, demo_ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    dialog.create()
    assert dialog.table.rowCount() == 1
    assert dialog.selected() is not None and dialog.table.item(0, 4).text() == "yes"
    if os.environ.get("JITUAN_SCREENSHOTS"):
        dialog.grab().save(str(SCREENSHOTS / "identities.png"))
    dialog.delete()
    assert dialog.table.rowCount() == 0
    assert demo_ctx.services.signing.list() == []


def test_the_agreements_page_and_menu_offer_the_signing_actions(qtbot, demo_ctx) -> None:
    from jituan_desktop.ui.shell import build_main_window

    window = build_main_window(demo_ctx)
    qtbot.addWidget(window)
    page = next(p for p in window.pages if hasattr(p, "add_toolbar_action"))
    assert {"Sign PDF…", "Verify PDF…"} <= {a.text() for a in page.toolbar.actions()}
    assert sign_dialog.install_signing_actions  # the hook shell.py calls
