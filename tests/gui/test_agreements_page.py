"""The agreements page with the demo group: list, live preview, new, edit, validation,
export, print preview."""

from __future__ import annotations

import dataclasses
import errno
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog

from jituan_desktop import atomic
from jituan_desktop.domain.agreements import AgreementScope, AgreementStatus, AgreementTask
from jituan_desktop.domain.charter import Group
from jituan_desktop.i18n import _
from jituan_desktop.ui import prompts
from jituan_desktop.ui.context import AppContext
from jituan_desktop.ui.dialogs.agreement_dialog import AgreementDialog
from jituan_desktop.ui.pages.agreements_page import AgreementsPage
from jituan_desktop.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


def make_page(qtbot, demo_ctx: AppContext) -> AgreementsPage:
    demo_ctx.group_id = demo_ctx.services.groups.list()[0].id
    page = AgreementsPage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def test_demo_agreement_listed_and_previewed(qtbot, demo_ctx: AppContext) -> None:
    page = make_page(qtbot, demo_ctx)
    assert len(page.list.rows()) == 1
    assert page.selected_agreement_id() is not None
    qtbot.waitUntil(lambda: page.preview.page_count >= 8, timeout=20000)


def test_new_pair_agreement_with_live_preview(qtbot, demo_ctx: AppContext, monkeypatch) -> None:
    page = make_page(qtbot, demo_ctx)
    seen: dict[str, object] = {}

    def ask(dialog: AgreementDialog):  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: dialog.preview.page_count > 0, timeout=20000)
        seen["pages"] = dialog.preview.page_count
        assert dialog.party_table.rowCount() == 2
        dialog.goals_edit.setPlainText("三年内乙方教学质量进入全旗前列")
        dialog.amount_edit.setText("-5")
        seen["negative"] = dialog.errors.message_label("funding_fen").text()
        dialog.amount_edit.setText("5万")
        dialog._add_indicator_row(None)
        dialog.indicator_table.item(0, 0).setText("骨干教师人数")
        seen["target"] = dialog.report.get("indicators", "")
        dialog.indicator_table.item(0, 3).setText("10")
        assert dialog.report.ok, dialog.report.text()
        return dialog.draft()

    monkeypatch.setattr(AgreementDialog, "ask", ask)
    page.new_pair()
    assert seen["pages"]
    assert seen["negative"] and seen["target"]
    rows = page.list.rows()
    assert len(rows) == 2
    new = next(a for a in rows if len(a.parties) == 2)
    assert new.funding_fen == 5000000 and new.goals.startswith("三年内")
    page.undo.undo_action.trigger()
    assert len(page.list.rows()) == 1


def test_validation_of_party_twice_and_term(qtbot, demo_ctx: AppContext) -> None:
    service = demo_ctx.services.agreements
    group_id = demo_ctx.services.groups.list()[0].id
    draft = service.new_draft(group_id, service.get(service.latest_for_group(group_id)).scope)
    dialog = AgreementDialog(None, draft, service.group_schools(group_id), (), "自选项目",
                             service.validate)
    qtbot.addWidget(dialog)
    combo = dialog.party_table.cellWidget(1, 1)
    combo.setCurrentIndex(combo.findData(draft.parties[0].school_id))
    dialog.end_edit.set_value(draft.term_start)
    report = dialog.revalidate()
    assert "parties" in report and "term_end" in report
    assert not dialog.ok_button.isEnabled()


def test_export_finalises_and_print_preview_opens(qtbot, demo_ctx: AppContext, monkeypatch,
                                                  tmp_path: Path) -> None:
    page = make_page(qtbot, demo_ctx)
    target = tmp_path / "协议.pdf"
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: target)
    page.export_selected()
    assert target.read_bytes()[:5] == b"%PDF-"
    agreement = demo_ctx.services.agreements.get(page.selected_agreement_id())
    assert agreement.status is AgreementStatus.FINAL
    page.edit_selected()  # a finalised agreement only explains itself
    opened: list[int] = []

    def exec_(dialog: QPrintPreviewDialog) -> int:
        printer = dialog._printer  # type: ignore[attr-defined]
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))  # no printer offscreen
        dialog.paintRequested.emit(printer)
        opened.append(1)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    page.print_selected()
    assert opened == [1]
    assert (tmp_path / "printed.pdf").stat().st_size > 10000
    page.new_version()
    assert any(a.number.endswith("-v2") and a.status is AgreementStatus.DRAFT
               for a in page.list.rows())
    assert dataclasses.is_dataclass(agreement)


def test_toolbar_hook_for_signing(qtbot, demo_ctx: AppContext) -> None:
    from PySide6.QtGui import QAction

    page = make_page(qtbot, demo_ctx)
    action = QAction("Sign…", page)
    page.add_toolbar_action(action)
    assert action in page.toolbar.actions()


def _model_dialog(qtbot, demo_ctx: AppContext, profile_id: str = "yuyao_2020"
                  ) -> tuple[AgreementDialog, dict]:
    service = demo_ctx.services.agreements
    if profile_id == "yuyao_2020":
        group, _changes = demo_ctx.services.groups.save_group(
            Group(None, "余姚市测试教共体", "yuyao_2020", "共建型"))
        group_id = group.id
    else:
        group_id = demo_ctx.services.groups.list()[0].id
    draft = service.new_draft(group_id, AgreementScope.PAIR)
    choices = {c.label: c for c in service.model_choices(group_id)}
    own = choices[draft.model_label]
    dialog = AgreementDialog(None, draft, service.group_schools(group_id), own.headings,
                             own.other_heading, service.validate, models=list(choices.values()))
    qtbot.addWidget(dialog)
    return dialog, choices


def test_the_model_defaults_to_the_groups_and_unedited_tasks_follow_it(
        qtbot, demo_ctx: AppContext, no_modal_prompts) -> None:
    # GIVEN a Yuyao group of the 共建型 model
    dialog, choices = _model_dialog(qtbot, demo_ctx)
    assert dialog.model_box.isEnabled()
    assert dialog.model_box.currentData() == "共建型"
    assert dialog.draft().tasks == choices["共建型"].default_tasks

    # WHEN the agreement is written for 协作型
    dialog.model_box.setCurrentIndex(dialog.model_box.findData("协作型"))

    # THEN the unedited tasks are replaced without a question, under the new headings
    assert not [p for p in no_modal_prompts if p[0] == "confirm"]
    draft = dialog.draft()
    assert draft.model_label == "协作型"
    assert draft.tasks == choices["协作型"].default_tasks
    combo = dialog.task_table.cellWidget(0, 0)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        *choices["协作型"].headings, choices["协作型"].other_heading]


def test_edited_tasks_are_replaced_only_after_asking(qtbot, demo_ctx: AppContext,
                                                     monkeypatch) -> None:
    dialog, choices = _model_dialog(qtbot, demo_ctx)
    dialog.task_table.item(0, 1).setText("每学期互派骨干教师两名")
    position = choices["共建型"].headings.index(dialog.draft().tasks[0].heading)
    asked: list[str] = []

    # WHEN the user keeps the edited tasks ("No")
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, text: asked.append(text) or False)
    dialog.model_box.setCurrentIndex(dialog.model_box.findData("协作型"))

    # THEN the text stays and moves to the new model's heading at the same position
    assert len(asked) == 1
    kept = dialog.draft().tasks
    assert kept[0] == AgreementTask(choices["协作型"].headings[position], "每学期互派骨干教师两名")
    assert len(kept) == len(choices["共建型"].default_tasks)

    # WHEN the model changes again and the user agrees to replace them
    monkeypatch.setattr(prompts, "confirm", lambda _p, title, text: asked.append(text) or True)
    dialog.model_box.setCurrentIndex(dialog.model_box.findData("融合型"))
    assert len(asked) == 2
    assert dialog.draft().tasks == choices["融合型"].default_tasks
    assert dialog.draft().model_label == "融合型"


def test_tasks_are_kept_where_the_new_models_template_has_none(
        qtbot, demo_ctx: AppContext, no_modal_prompts) -> None:
    # GIVEN the demo group (阿拉善 共建型); its 协作型 template (the default one) has no tasks
    dialog, choices = _model_dialog(qtbot, demo_ctx, "alxa_2024")
    before = dialog.draft().tasks
    assert before and not choices["协作型"].default_tasks

    dialog.model_box.setCurrentIndex(dialog.model_box.findData("协作型"))

    # THEN the tasks stay, under 协作型's focus areas, and nobody is asked
    assert not [p for p in no_modal_prompts if p[0] == "confirm"]
    after = dialog.draft().tasks
    assert [t.text for t in after] == [t.text for t in before]
    assert {t.heading for t in after} <= {*choices["协作型"].headings, "自选项目"}


# ---- export off the GUI thread; failed writes ----------------------------------------------


def test_export_runs_on_the_real_task_runner(qtbot, demo_ctx: AppContext, monkeypatch,
                                              tmp_path: Path, no_modal_prompts) -> None:
    # GIVEN the page with the app's real runner (work on the thread pool, progress dialog)
    runner = TaskRunner()
    demo_ctx.runner = runner
    page = make_page(qtbot, demo_ctx)
    target = tmp_path / "协议.pdf"
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: target)
    threads: list[bool] = []
    service = demo_ctx.services.agreements
    real_export = service.export_pdf

    def export(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        assert kwargs.get("progress") is not None
        return real_export(*args, **kwargs)

    monkeypatch.setattr(service, "export_pdf", export)

    # WHEN the agreement is exported
    page.export_selected()

    # THEN the export ran off the GUI thread and the outcome arrived on it
    qtbot.waitUntil(lambda: any(kind == "info" for kind, *_r in no_modal_prompts),
                    timeout=30000)
    assert threads == [False]
    assert target.read_bytes()[:5] == b"%PDF-"
    assert service.get(page.selected_agreement_id()).status is AgreementStatus.FINAL
    assert runner.shutdown()
    qtbot.waitUntil(lambda: runner.active_count == 0)


def _export_fails(qtbot, demo_ctx: AppContext, monkeypatch, target: Path,
                  shown: list) -> str:
    page = make_page(qtbot, demo_ctx)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: target)
    page.export_selected()
    errors = [(title, text) for kind, title, text in shown if kind == "error"]
    assert len(errors) == 1, shown
    title, text = errors[0]
    assert title == _("Not exported")
    # nothing finalised: the agreement can still be edited
    agreement = demo_ctx.services.agreements.get(page.selected_agreement_id())
    assert agreement.status is AgreementStatus.DRAFT
    return text


def test_a_folder_in_the_way_is_explained(qtbot, demo_ctx: AppContext, monkeypatch,
                                          tmp_path: Path, no_modal_prompts) -> None:
    target = tmp_path / "out" / "协议.pdf"
    target.mkdir(parents=True)
    text = _export_fails(qtbot, demo_ctx, monkeypatch, target, no_modal_prompts)
    assert _("A folder of the same name is in the way of the file {file}.").format(
        file=target) in text
    assert [p.name for p in target.parent.iterdir()] == ["协议.pdf"]  # no partial file
    assert target.is_dir()


def test_a_read_only_folder_is_explained(qtbot, demo_ctx: AppContext, monkeypatch,
                                         tmp_path: Path, no_modal_prompts) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root may write anyway: the system refuses as it would
        def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
            raise PermissionError(errno.EACCES, "Permission denied", str(folder))

        monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    target = folder / "协议.pdf"
    try:
        text = _export_fails(qtbot, demo_ctx, monkeypatch, target, no_modal_prompts)
        assert _("There is no permission to write {file}.").format(file=target) in text
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_write_failing_halfway_leaves_no_partial_file(
        qtbot, demo_ctx: AppContext, monkeypatch, tmp_path: Path, no_modal_prompts) -> None:
    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "out"
    out.mkdir()
    target = out / "协议.pdf"
    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    text = _export_fails(qtbot, demo_ctx, monkeypatch, target, no_modal_prompts)
    assert _("The disk is full.") in text
    assert list(out.iterdir()) == []  # the temporary file was removed


# ---- printing a PDF file (a signed agreement from the USB stick) ---------------------------


def _print_into(monkeypatch, target: Path) -> list[str]:
    """The print preview prints into ``target`` (no printer offscreen); returns the titles."""
    opened: list[str] = []

    def exec_(dialog: QPrintPreviewDialog) -> int:
        printer = dialog._printer  # type: ignore[attr-defined]
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)
        opened.append(printer.docName())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    return opened


def _ink(image, box: tuple[float, float, float, float],  # type: ignore[no-untyped-def]
         page_height: float) -> int:
    """Dark pixels of ``image`` (a page at 40 dpi) inside ``box`` (PDF points, y up)."""
    scale = 40 / 72
    x1, y1, x2, y2 = box
    crop = image.convert("L").crop((round(x1 * scale) + 2, round((page_height - y2) * scale) + 2,
                                    round(x2 * scale) - 2, round((page_height - y1) * scale) - 2))
    return sum(1 for v in crop.tobytes() if v < 200)


def test_a_signed_pdf_file_prints_with_its_signature(qtbot, demo_ctx: AppContext, monkeypatch,
                                                     tmp_path: Path, no_modal_prompts) -> None:
    pytest.importorskip("pyhanko")
    import pypdfium2 as pdfium

    from jituan_desktop.signing.identities import create_identity, load_pkcs12
    from jituan_desktop.signing.sign import SignRequest, sign_pdf

    # GIVEN the agreement exported for signing and signed by 甲方 (the file on the USB stick)
    page = make_page(qtbot, demo_ctx)
    service = demo_ctx.services.agreements
    exported = tmp_path / "协议.pdf"
    rendered = service.export_pdf(page.selected_agreement_id(), exported)
    first, second = rendered.signature_boxes[:2]
    p12 = tmp_path / "jia.p12"
    create_identity(p12, school_name=first.school_name, representative="王建华",
                    passphrase="ganbei-2026!")
    signed = sign_pdf(exported.read_bytes(), load_pkcs12(p12, "ganbei-2026!"),
                      SignRequest(1, role="校长"), {})
    usb = tmp_path / "U盘" / "协议（甲方已签）.pdf"
    usb.parent.mkdir()
    usb.write_bytes(signed.data)
    printed = tmp_path / "printed.pdf"
    opened = _print_into(monkeypatch, printed)
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: usb)

    # WHEN the user prints that file
    assert page.print_file_action.isEnabled()
    page.print_file_action.trigger()

    # THEN the print preview printed it, with 甲方's signature appearance in its box and
    # 乙方's box still empty
    assert opened == [usb.stem]
    assert not [p for p in no_modal_prompts if p[0] == "error"]
    pdf = pdfium.PdfDocument(printed.read_bytes())
    try:
        assert len(pdf) == rendered.page_count
        sheet = pdf[first.page]
        height = sheet.get_height()
        image = sheet.render(scale=40 / 72, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        pdf.close()
    assert _ink(image, first.box, height) > 50
    assert _ink(image, second.box, height) == 0


@pytest.mark.parametrize(("content", "expected"), [
    (b"Agreement draft, plain text\n",
     "The file {file} is not a PDF document: it cannot be printed."),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
     "The file {file} is damaged or protected by a password: it cannot be printed."),
])
def test_a_file_that_is_not_a_pdf_is_explained(qtbot, demo_ctx: AppContext, monkeypatch,
                                               tmp_path: Path, no_modal_prompts,
                                               content: bytes, expected: str) -> None:
    page = make_page(qtbot, demo_ctx)
    path = tmp_path / "协议.pdf"
    path.write_bytes(content)
    opened = _print_into(monkeypatch, tmp_path / "printed.pdf")
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: path)

    assert page.print_file() is False

    assert opened == []
    errors = [(title, text) for kind, title, text in no_modal_prompts if kind == "error"]
    assert len(errors) == 1
    assert errors[0][0] == _("Not printed")
    assert errors[0][1] == _(expected).format(file=path)


def test_printing_a_file_can_be_cancelled_and_a_missing_file_is_explained(
        qtbot, demo_ctx: AppContext, monkeypatch, tmp_path: Path, no_modal_prompts) -> None:
    page = make_page(qtbot, demo_ctx)
    opened = _print_into(monkeypatch, tmp_path / "printed.pdf")
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: None)
    assert page.print_file() is False
    assert page.print_file(tmp_path / "gone.pdf") is False
    assert opened == []
    assert [kind for kind, *_r in no_modal_prompts] == ["error"]
    assert no_modal_prompts[0][2] == _("The file {file} could not be read.").format(
        file=tmp_path / "gone.pdf")


def test_the_list_shows_no_column_the_app_cannot_fill(qtbot, demo_ctx: AppContext) -> None:
    from PySide6.QtCore import Qt

    # (the "Signatures" column was always empty: the list has no source for it)
    page = make_page(qtbot, demo_ctx)
    model = page.list._table.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(model.columnCount())]
    assert _("Status") in headers and _("Parties") in headers
    assert _("Signatures") not in headers
    assert not hasattr(page, "signature_state")


def test_the_editor_fits_a_1366x768_screen(qtbot, demo_ctx: AppContext) -> None:
    from PySide6.QtCore import QRect, QSize

    from jituan_desktop.ui.dialogs.agreement_dialog import MIN_SIZE, initial_size

    # a laptop screen (1366×768 less the task bar): the dialog stays on it, OK included
    assert initial_size(QRect(0, 0, 1366, 728)) == QSize(1280, 648)
    assert initial_size(QRect(0, 0, 1920, 1040)) == QSize(1280, 820)
    assert initial_size(QRect(0, 0, 640, 400)) == MIN_SIZE
    assert initial_size(None) == QSize(1280, 820)
    service = demo_ctx.services.agreements
    group_id = demo_ctx.services.groups.list()[0].id
    agreement = service.get(service.latest_for_group(group_id))
    dialog = AgreementDialog(None, agreement, service.group_schools(group_id), (), "自选项目",
                             service.validate)
    qtbot.addWidget(dialog)
    dialog.resize(initial_size(QRect(0, 0, 1366, 728)))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 728 and dialog.minimumSizeHint().height() <= 648
    ok = dialog.ok_button
    assert ok.isVisible() and dialog.rect().contains(ok.geometry().translated(
        ok.parentWidget().mapTo(dialog, ok.parentWidget().rect().topLeft())))
    # 目标与指标: every column of the indicator table is in view, none behind a scroll bar
    dialog.tabs.setCurrentIndex(2)
    qtbot.wait(10)
    table = dialog.indicator_table
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert header.sectionPosition(4) + header.sectionSize(4) <= table.viewport().width()
    # the goals box sits at the top with a few lines' height; the table takes the rest
    goals = dialog.goals_edit
    assert goals.mapTo(dialog.tabs, goals.rect().topLeft()).y() < 80
    assert 50 <= goals.height() <= 200 < table.height()


def test_the_print_preview_fills_most_of_the_screen(qtbot, demo_ctx: AppContext) -> None:
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QAction

    from jituan_desktop.ui.printing import MIN_SIZE, preview_dialog, preview_size

    assert preview_size(QRect(0, 0, 1366, 768)) == QSize(1092, 614)
    assert preview_size(QRect(0, 0, 1920, 1040)) == QSize(1536, 832)
    assert preview_size(QRect(0, 0, 1000, 700)) == QSize(MIN_SIZE.width(), 600)
    assert preview_size(QRect(0, 0, 800, 500)) == QSize(800, 500)  # never off the screen
    page = make_page(qtbot, demo_ctx)
    data = demo_ctx.services.agreements.render_pdf(page.selected_agreement_id()).data
    dialog = preview_dialog(page, data, "协议")
    qtbot.addWidget(dialog)
    available = page.screen().availableGeometry()
    assert dialog.size() == preview_size(available)
    assert dialog.findChild(QAction, "fitWidthAction").isChecked()
