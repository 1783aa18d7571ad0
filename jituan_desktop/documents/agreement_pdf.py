"""The printed cooperation agreement: A4, Chinese official-document layout (DOMAIN §3.5–3.6).

Layout: title (title font, 22 pt) and model subtitle, 协议编号, the parties, the preamble,
clauses 第一条 … in 16 pt body text with 2-character first-line indent, the attachment note,
（以下无正文）, then a signature page (本页无正文) with one 盖章/签字/签订日期 block per party
in two columns (each with a free 70 × 46 mm box for the seal and the electronic signature,
reported as the party's ``SignatureBox``), then 附件1–4, each on a new page. Page numbers
"— 1 —" centred below the text block. Fonts are TrueType subsets embedded in the file
(``fonts.py``); nothing else is used, so ``pdffonts`` lists embedded subsets only.

ReportLab is imported inside the functions: the app must start without it.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from jituan_desktop.documents.agreement_metadata import KEYWORDS_PREFIX
from jituan_desktop.documents.signature_boxes import SignatureBox, field_name
from jituan_desktop.documents.templates import AgreementTemplate
from jituan_desktop.domain.agreements import (
    Agreement,
    arabic_date,
    chinese_number,
    rmb_lower,
    rmb_upper,
    school_years_between,
)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
# GB/T 9704-2012: top 37 mm, binding (left) 28 mm, text block 156 × 225 mm
MARGIN_TOP, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 37 * MM, 28 * MM, 26 * MM, 35 * MM
BODY_SIZE = 16  # 三号
LEADING = 28.9  # 22 lines per page
# the room for a party's seal and electronic signature: a 42 mm seal pressed inside it with
# 2 mm to spare all round, free of any text (the signing side puts its field exactly there)
SEAL_BOX_W, SEAL_BOX_H = 70 * MM, 46 * MM
SIGN_SIZE = 13  # the signature page: party blocks and 签订地点 alike
CELL_SIZE, CELL_PAD = 12, 3  # attachment tables
STROKE_BOLD = 0.45  # pt: the outline that emboldens headings when no heavier face is chosen
KINSOKU_EXTRA = "》，。、；：？！）」』】〕〉”’％"  # STACK.md gotcha 13


@dataclass(frozen=True)
class PartyInfo:
    order: int
    label: str  # 甲方
    role: str  # 支援学校 / 受援学校 …
    school_name: str
    credit_code: str = ""
    address: str = ""
    representative: str = ""
    teachers: int | None = None


@dataclass(frozen=True)
class AgreementDocument:
    """Everything the renderer needs, resolved by the service."""

    agreement: Agreement
    template: AgreementTemplate
    headings: tuple[str, ...]  # the model's five task headings
    model_full: str
    model_canonical: str
    region: str
    parties: tuple[PartyInfo, ...]
    group_name: str = ""


@dataclass
class RenderedPdf:
    data: bytes
    signature_boxes: list[SignatureBox] = field(default_factory=list)
    page_count: int = 0


def placeholders(doc: AgreementDocument) -> dict[str, str]:
    a = doc.agreement
    t = doc.template
    first = doc.parties[0] if doc.parties else None
    labels = [p.label for p in doc.parties]
    pair = len(doc.parties) == 2
    values = {
        "title": a.title, "number": a.number, "model": a.model_label,
        "model_full": doc.model_full or a.model_label, "basis": t.basis, "region": doc.region,
        "group": doc.group_name,
        "parties": ("甲乙双方" if pair else "、".join(labels) + "各方") if labels else "各方",
        "both": "甲乙双方" if pair else "各方",
        "each_holds": "甲乙双方各执一份" if pair else "各方各执一份",
        "first_party": first.label if first else "甲方",
        "first_school": first.school_name if first else "",
        "first_representative": first.representative if first else "",
        "others": "、".join(labels[1:]),
        "term_start": arabic_date(a.term_start) if a.term_start else "　　年　　月　　日",
        "term_end": arabic_date(a.term_end) if a.term_end else "　　年　　月　　日",
        "school_years": chinese_number(school_years_between(a.term_start, a.term_end))
        if a.term_start and a.term_end and a.term_end > a.term_start else "　",
        "goals": _sentence(a.goals) or "（待定）",
        "funding_upper": rmb_upper(max(0, a.funding_fen)),
        "funding_lower": rmb_lower(max(0, a.funding_fen)),
        "copies": chinese_number(a.copies),
        "filing_authority": a.filing_authority or "教育行政部门",
        "signing_place": a.signing_place,
    }
    values["structure"] = fill(t.structure_for(doc.model_canonical), values)
    values["funding_text"] = _strip_stop(fill(a.funding_text or t.default_funding_text, values))
    values["assessment"] = _sentence(fill(a.assessment or t.default_assessment, values))
    return values


def fill(text: str, values: dict[str, str]) -> str:
    return text.format_map(_Defaulting(values))


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。！？；" else text + "。"


def _strip_stop(text: str) -> str:
    return text.strip().rstrip("。；")


def _esc(text: str) -> str:
    """Paragraph markup: escape XML and keep ideographic spaces (gotcha 12)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\u3000", "&#12288;").replace("\n", "<br/>"))


def _patch_kinsoku() -> None:
    import reportlab.lib.textsplit as ts
    import reportlab.platypus.paragraph as para

    missing = "".join(c for c in KINSOKU_EXTRA if c not in ts.ALL_CANNOT_START)
    if missing:
        ts.ALL_CANNOT_START = ts.ALL_CANNOT_START + missing
        para.ALL_CANNOT_START = ts.ALL_CANNOT_START


def _emboldened_paragraph_class() -> type:
    from reportlab.platypus import Paragraph

    class Emboldened(Paragraph):  # type: ignore[misc]
        """A paragraph drawn filled and outlined (text render mode 2): visibly heavier than
        body text set in the same face, and still extractable text."""

        def draw(self) -> None:
            canvas = self.canv
            canvas.saveState()
            canvas.setLineWidth(STROKE_BOLD)
            canvas.setLineJoin(1)
            canvas._code.append("2 Tr")
            try:
                super().draw()
            finally:
                canvas.restoreState()

    return Emboldened


def render_agreement(doc: AgreementDocument, body_font: str, title_font: str, *,
                     invariant: bool = False) -> RenderedPdf:
    """Render ``doc`` with two registered ReportLab font names (see ``fonts.register``).

    ``invariant``: the same bytes every time (a fixed creation date and document id), for
    tests; a real export carries its real creation time."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        KeepTogether,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    _patch_kinsoku()
    a = doc.agreement
    t = doc.template
    values = placeholders(doc)
    base = dict(fontName=body_font, fontSize=BODY_SIZE, leading=LEADING, wordWrap="CJK")
    body = ParagraphStyle("body", firstLineIndent=2 * BODY_SIZE, **base)
    flush = ParagraphStyle("flush", **base)
    title = ParagraphStyle("title", fontName=title_font, fontSize=22, leading=34,
                           alignment=TA_CENTER, wordWrap="CJK")
    subtitle = ParagraphStyle("subtitle", parent=flush, alignment=TA_CENTER)
    number = ParagraphStyle("number", parent=flush, alignment=TA_RIGHT, fontSize=14)
    clause = ParagraphStyle("clause", parent=flush, fontName=title_font,
                            firstLineIndent=2 * BODY_SIZE)
    note_indent = 2 * BODY_SIZE + 3 * BODY_SIZE
    attach_note = ParagraphStyle("attach", parent=flush, leftIndent=note_indent,
                                 firstLineIndent=-3 * BODY_SIZE)
    attach_more = ParagraphStyle("attach_more", parent=flush, leftIndent=note_indent)
    sign_note = ParagraphStyle("sign_note", parent=flush, fontSize=14, alignment=TA_CENTER)
    sign_place = ParagraphStyle("sign_place", parent=flush, fontSize=SIGN_SIZE,
                                leading=SIGN_SIZE * 1.7)
    attach_label = ParagraphStyle("attach_label", parent=flush, fontName=title_font)
    attach_title = ParagraphStyle("attach_title", parent=title, fontSize=18, leading=30)
    aligns = {"L": TA_LEFT, "C": TA_CENTER, "R": TA_RIGHT}
    cells = {k: ParagraphStyle(f"cell{k}", fontName=body_font, fontSize=CELL_SIZE, leading=16,
                               wordWrap="CJK", alignment=v) for k, v in aligns.items()}

    def one_line(text: str, width_mm: float, style: Any, size: float = CELL_SIZE) -> Any:
        """``text`` on one line: set smaller when it would not fit the column."""
        room = width_mm * MM - 2 * CELL_PAD
        wide = stringWidth(text, style.fontName, size) or 1
        fit = min(size, int(room / wide * size * 4) / 4)
        return Paragraph(_esc(text), ParagraphStyle(f"{style.name}-{fit}", parent=style,
                                                    fontSize=fit, leading=max(fit + 4, 16)))

    # one face for body and headings: the headings are drawn with a thin outline, else they
    # would look like body text
    Heading = _emboldened_paragraph_class() if title_font == body_font else Paragraph

    story: list[Any] = [
        Heading(_esc(fill(t.title, values) or a.title), title),
    ]
    if t.subtitle:
        story.append(Paragraph(_esc(fill(t.subtitle, values)), subtitle))
    story += [Spacer(1, 6), Paragraph(_esc(f"协议编号：{a.number}"), number), Spacer(1, 10)]
    for party in doc.parties:
        story.append(Paragraph(_esc(f"{party.label}（{party.role}）：{party.school_name}"), flush))
        if party.representative:
            story.append(Paragraph(_esc(f"法定代表人：{party.representative}"), flush))
        if party.address:
            story.append(Paragraph(_esc(f"地址：{party.address}"), flush))
    story.append(Spacer(1, 10))
    story.append(Paragraph(_esc(fill(t.preamble, values)), body))

    last: list[Any] = []
    for index, item in enumerate(t.clauses, start=1):
        part: list[Any] = [Heading(_esc(f"第{chinese_number(index)}条\u3000{item.heading}"),
                                   clause)]
        part += [Paragraph(_esc(fill(paragraph, values)), body) for paragraph in item.paragraphs]
        if item.kind == "tasks":
            part += _task_paragraphs(doc, body)
        if index == len(t.clauses):
            last = part
        else:
            story.append(CondPageBreak(3 * LEADING))
            story += part
    # the last clause, the attachment note and 以下无正文 stay on one page: no page of the
    # agreement may hold only the end marker
    names = t.attachments
    last.append(Spacer(1, LEADING / 2))
    last.append(Paragraph(_esc(f"附件：1．{names[0]}"), attach_note))
    last += [Paragraph(_esc(f"{n}．{name}"), attach_more)
             for n, name in enumerate(names[1:], start=2)]
    last.append(Spacer(1, LEADING / 2))
    last.append(Paragraph(_esc(t.end_marker), body))
    story.append(KeepTogether(last))

    # ---- signature page ----------------------------------------------------------------
    boxes: list[SignatureBox] = []
    story.append(PageBreak())
    story.append(Paragraph(_esc(f"（本页无正文，为《{a.title}》签署页）"), sign_note))
    # two rows of blocks with two-line school names and 签订地点 still fit on this page
    story.append(Spacer(1, 3 * MM))
    story.append(_signature_grid(doc, body_font, title_font, boxes))
    if a.signing_place:  # (the rows' bottom padding sets it apart)
        story.append(Paragraph(_esc(f"签订地点：{a.signing_place}"), sign_place))

    # ---- attachments -------------------------------------------------------------------
    def attachment(n: int, rows: list[list[str]] | None, widths: list[float],
                   paragraphs: tuple[str, ...] = (), align: str = "",
                   single: frozenset[int] = frozenset()) -> None:
        """Attachment ``n``: a table of ``rows`` (the first the header, on one line) in
        columns ``widths`` mm wide, aligned per ``align`` (L/C/R a column); the columns in
        ``single`` keep each value on one line (a credit code must not break)."""
        story.append(PageBreak())
        story.append(Heading(_esc(f"附件{n}"), attach_label))
        story.append(Spacer(1, LEADING / 2))
        story.append(Heading(_esc(names[n - 1]), attach_title))
        story.append(Spacer(1, LEADING / 2))
        for text in paragraphs:
            story.append(Paragraph(_esc(fill(text, values)), body))
        if rows is not None:
            align = align.ljust(len(widths), "L")
            # the header cells on one line, all in one size: the largest that fits them
            head_size = min(float(CELL_SIZE), *(
                int((w * MM - 2 * CELL_PAD) / (stringWidth(h, title_font, CELL_SIZE) or 1)
                    * CELL_SIZE * 4) / 4 for h, w in zip(rows[0], widths, strict=True)))
            data = [[one_line(h, w, ParagraphStyle("head", parent=cells["C"],
                                                   fontName=title_font), head_size)
                     for h, w in zip(rows[0], widths, strict=True)]]
            data += [[one_line(c, widths[i], cells[align[i]]) if i in single
                      else Paragraph(_esc(c), cells[align[i]]) for i, c in enumerate(row)]
                     for row in rows[1:]]
            table = Table(data, colWidths=[w * MM for w in widths], repeatRows=1)
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), body_font),  # gotcha 11: no Helvetica
                ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            story.append(table)

    party_rows = [["方别", "学校名称", "统一社会信用代码", "地址", "法定代表人", "教职工数"]]
    party_rows += [[p.label, p.school_name, p.credit_code or "—", p.address or "—",
                    p.representative or "—", "—" if p.teachers is None else str(p.teachers)]
                   for p in doc.parties]
    attachment(1, party_rows, [14, 34, 38, 30, 22, 18], align="CLCLCR",
               single=frozenset({2}))
    indicator_rows = [["序号", "指标", "单位", "基线值", "目标值", "完成时间"]]
    indicator_rows += [[str(i), x.name, x.unit, x.baseline, x.target, x.due]
                       for i, x in enumerate(a.indicators, start=1)]
    if len(indicator_rows) == 1:
        indicator_rows.append(["", "（未设定指标）", "", "", "", ""])
    attachment(2, indicator_rows, [14, 50, 16, 24, 24, 28], align="CLCRRC")
    task_rows = [["序号", "工作方面", "任务内容"]]
    task_rows += [[str(i), heading, text]
                  for i, (heading, text) in enumerate(_ordered_tasks(doc), start=1)]
    if len(task_rows) == 1:
        task_rows.append(["", "", "（未设定任务）"])
    attachment(3, task_rows, [14, 30, 112], align="CLL")
    attachment(4, None, [], t.scoring_note or ("（按有关规定执行）",))

    buffer = io.BytesIO()
    keywords = KEYWORDS_PREFIX + json.dumps(
        {"number": a.number,
         "parties": [[p.order, p.label, p.school_name] for p in doc.parties]},
        ensure_ascii=False, separators=(",", ":"))
    pages: list[int] = []

    def on_page(canvas: Any, _doc: Any) -> None:
        page = canvas.getPageNumber()
        pages.append(page)
        canvas.saveState()
        canvas.setFont(body_font, 14)  # 4号 page number, "— 1 —"
        canvas.drawCentredString(PAGE_W / 2, MARGIN_BOTTOM - 7 * MM - 14, f"— {page} —")
        canvas.restoreState()

    template = BaseDocTemplate(
        buffer, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=a.title, subject=a.number,
        author=doc.parties[0].school_name if doc.parties else "", keywords=keywords,
        creator="Jituan Desktop", initialFontName=body_font, invariant=invariant)
    # The text block is exactly the GB/T 9704 156 × 225 mm (22 lines of 28.9 pt): a frame
    # without ReportLab's default 6 pt padding, so the body and the signature blocks share
    # the left margin.
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, template.width, template.height, id="text",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    template.build(story)
    return RenderedPdf(buffer.getvalue(), sorted(boxes, key=lambda b: b.order),
                       max(pages, default=0))


def _ordered_tasks(doc: AgreementDocument) -> list[tuple[str, str]]:
    """The tasks grouped by heading: the model's headings first, in order, then others."""
    order = {h: i for i, h in enumerate(doc.headings)}
    indexed = list(enumerate(doc.agreement.tasks))
    indexed.sort(key=lambda x: (order.get(x[1].heading, len(order)), x[0]))
    return [(task.heading, task.text) for _, task in indexed if task.text.strip()]


def _task_paragraphs(doc: AgreementDocument, style: Any) -> list[Any]:
    from reportlab.platypus import Paragraph

    out = []
    grouped: dict[str, list[str]] = {}
    for heading, text in _ordered_tasks(doc):
        grouped.setdefault(heading, []).append(text)
    headings = list(doc.headings) + [h for h in grouped if h not in doc.headings]
    for n, heading in enumerate(headings, start=1):
        tasks = grouped.get(heading, [])
        if not tasks and heading not in doc.headings:
            continue
        body = "".join(_sentence(t) for t in tasks) or "具体任务在学年度工作计划中确定。"
        out.append(Paragraph(_esc(f"（{chinese_number(n)}）{heading}。{body}"), style))
    return out


def _signature_grid(doc: AgreementDocument, body_font: str, title_font: str,
                    boxes: list[SignatureBox]) -> Any:
    from reportlab.platypus import Table, TableStyle

    column = (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT) / 2
    day = doc.agreement.signing_date
    date_text = arabic_date(day) if day else "\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    blocks = [_SignatureBlock(p, column - 4 * MM, body_font, title_font, boxes, date_text)
              for p in doc.parties]
    rows = [blocks[i:i + 2] + [""] * (2 - len(blocks[i:i + 2]))
            for i in range(0, len(blocks), 2)]
    table = Table(rows, colWidths=[column, column])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), body_font),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        # room between rows (the seal itself stays inside its box, 2 mm from each edge)
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * MM),
    ]))
    return table


def _fit_name(name: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """A school's name in its signature block: on one line, down to 11 pt if need be, else
    broken between characters at ``size`` (Chinese has no spaces to break at)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for smaller in (size, size - 1, size - 2):
        if smaller >= 11 and stringWidth(name, font, smaller) <= width:
            return smaller, [name]
    lines, line = [], ""
    for char in name:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return size, [*lines, line] if line else lines or [""]


def _make_block_class() -> type:
    from reportlab.platypus import Flowable

    class SignatureBlock(Flowable):  # type: ignore[misc]
        """One party's block, top to bottom: 甲方（盖章）：, the school, the free room for the
        seal and the electronic signature (reported as the party's signature box),
        法定代表人或委托代理人（签字）： above a ruled line to sign on, 签订日期."""

        size = SIGN_SIZE
        gap = 4  # pt between the box and the text above and below it
        sign_room = 26  # pt (9 mm) above the ruled line: room for a handwritten signature

        def __init__(self, party: PartyInfo, width: float, body_font: str, title_font: str,
                     boxes: list[SignatureBox], date_text: str) -> None:
            super().__init__()
            self.party = party
            self.block_width = width
            self.body_font = body_font
            self.title_font = title_font
            self.boxes = boxes
            self.date_text = date_text
            self.name_size, self.name_lines = _fit_name(party.school_name, body_font,
                                                        self.size, width)
            self.line = self.size * 1.7
            self.height = (self.line * (1 + len(self.name_lines)) + 2 * self.gap + SEAL_BOX_H
                           + self.line + self.sign_room + self.line)

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return self.block_width, self.height

        def draw(self) -> None:
            c = self.canv
            descent = 0.25 * self.size
            y = self.height - self.size
            c.setFont(self.title_font, self.size)
            c.drawString(0, y, f"{self.party.label}（盖章）：")
            c.setFont(self.body_font, self.name_size)
            for text in self.name_lines:
                y -= self.line
                c.drawString(0, y, text)
            c.setFont(self.body_font, self.size)
            top = y - descent - self.gap
            bottom = top - SEAL_BOX_H
            width = min(SEAL_BOX_W, self.block_width)
            x1, y1 = c.absolutePosition(0, bottom)
            x2, y2 = c.absolutePosition(width, top)
            page = c.getPageNumber() - 1
            self.boxes[:] = [b for b in self.boxes if b.order != self.party.order]
            self.boxes.append(SignatureBox(self.party.order, self.party.label,
                                           self.party.school_name,
                                           field_name(self.party.order), page,
                                           # rounded outward: never smaller than drawn
                                           (math.floor(x1 * 100) / 100,
                                            math.floor(y1 * 100) / 100,
                                            math.ceil(x2 * 100) / 100,
                                            math.ceil(y2 * 100) / 100)))
            y = bottom - self.gap - self.size
            c.drawString(0, y, "法定代表人或委托代理人（签字）：")
            y -= descent + self.sign_room
            c.saveState()
            c.setLineWidth(0.6)
            c.line(0, y, width, y)
            c.restoreState()
            y -= self.line
            c.drawString(0, y, "签订日期：" + self.date_text)

    return SignatureBlock


def _SignatureBlock(party: PartyInfo, width: float, body_font: str, title_font: str,
                    boxes: list[SignatureBox], date_text: str) -> Any:
    return _make_block_class()(party, width, body_font, title_font, boxes, date_text)
