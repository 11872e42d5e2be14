"""Builds the default Word templates of the inspection documents (opinion.docx, notice.docx,
report.docx beside this file), which an office replaces with its own in the admin. Run it again
after changing the layout:

    .venv/bin/python inspections/docx/build.py

Each is a docxtpl template (Jinja2 tags in the text): the 红头 with the office and the 文号, the
title, the recipient, the body's sections (a heading, paragraphs, and a table whose columns come
with the content), and the office and date as signature. Laid out as the printed notice is
(GB/T 9704-2012): A4, 版心 156 × 225 mm, 3号 仿宋 body in 22 lines a page, 2号 小标宋 title,
黑体 headings. The variables an office's own template may use are listed in
inspections.documents.TEMPLATE_FIELDS."""

from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
RED = RGBColor(0xD4, 0x00, 0x00)
FANGSONG, XIAOBIAOSONG, HEITI = "仿宋_GB2312", "方正小标宋简体", "黑体"
LINE = Pt(28.95)  # 225 mm / 22 lines

# kind → whether it is addressed to someone (the 督导报告 covers every county and is addressed to none)
KINDS = {
    "opinion": True,
    "notice": True,
    "report": False,
}


def _font(run_or_style, name: str, size: float, *, bold: bool = False, color=None) -> None:
    font = run_or_style.font
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    # Word takes Chinese text's font from eastAsia, not from the font's name.
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _paragraph(document, text: str = "", *, align=None, indent: bool = False, font=None, space_after=0):
    paragraph = document.add_paragraph()
    format_ = paragraph.paragraph_format
    format_.space_before = Pt(0)
    format_.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    format_.first_line_indent = Pt(32) if indent else Pt(0)
    if text:
        run = paragraph.add_run(text)
        if font is not None:
            _font(run, *font[:2], **font[2] if len(font) > 2 else {})
    return paragraph


def _red_rule(paragraph) -> None:
    """The red line under the 文号, as a bottom border of its paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "16"), ("w:space", "8"), ("w:color", "D40000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def build(kind: str, *, directory: Path = HERE, title: str = "", with_recipient: bool | None = None) -> Path:
    """The template of `kind` (one of KINDS, or another area's with its `title`) in `directory`."""
    with_recipient = KINDS[kind] if with_recipient is None else with_recipient
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _font(normal, FANGSONG, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    document.core_properties.title = (
        title or {"opinion": "督导意见书", "notice": "整改通知书", "report": "督导报告"}[kind]
    )
    document.core_properties.author = ""

    # 红头: the office in red, then the 文号 over a red rule.
    _paragraph(document, "{{ office }}", align=WD_ALIGN_PARAGRAPH.CENTER, font=(XIAOBIAOSONG, 26, {"color": RED}))
    number = _paragraph(document, "{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=24)
    _red_rule(number)
    _paragraph(document)
    _paragraph(document, "{{ title }}", align=WD_ALIGN_PARAGRAPH.CENTER, font=(XIAOBIAOSONG, 22), space_after=14)
    if with_recipient:
        _paragraph(document, "{%p if recipient %}")
        _paragraph(document, "{{ recipient }}：")
        _paragraph(document, "{%p endif %}")

    _paragraph(document, "{%p for section in sections %}")
    _paragraph(document, "{%p if section.heading %}")
    _paragraph(document, "{{ section.heading }}", indent=True, font=(HEITI, 16))
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p for text in section.paragraphs %}")
    _paragraph(document, "{{ text }}", indent=True)
    _paragraph(document, "{%p endfor %}")
    _paragraph(document, "{%p if section.table %}")
    # A table whose columns come with the content: a header row, then a row per line.
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = [
        ("{%tc for header in section.table.headers %}", "{{ header }}", "{%tc endfor %}"),
        ("{%tr for row in section.table.rows %}", "", ""),
        ("{%tc for cell in row %}", "{{ cell }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", ""),
    ]
    for row_index, texts in enumerate(cells):
        for column, text in enumerate(texts):
            cell = table.cell(row_index, column)
            cell.text = text
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                paragraph.paragraph_format.first_line_indent = Pt(0)
                for run in paragraph.runs:
                    _font(run, HEITI if row_index == 0 else FANGSONG, 12)
    _paragraph(document, "{%p endif %}")
    _paragraph(document, "{%p endfor %}")

    _paragraph(document)
    _paragraph(document, "{{ office }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    path = directory / f"{kind}.docx"
    document.save(path)
    return path


if __name__ == "__main__":
    for name in KINDS:
        print(build(name))
