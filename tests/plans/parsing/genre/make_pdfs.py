"""Writes the genre's text PDFs whose calendar is a drawn table over two pages.

    /work/main/.venv/bin/python tests/plans/parsing/genre/make_pdfs.py

Needs reportlab (the test dependency group); the PDFs it writes are committed beside it, so the
tests do not run it. The text is in reportlab's built-in STSong-Light (a CID font every reader
knows, nothing embedded). Each calendar has the forms offices draw: a period cell merged over the
rows of its month, wrapped work cells, items numbered on lines of their own in one cell, the
header row repeated on the second page, and a merged period cell cut by the page break.
"""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
FONT = "STSong-Light"

pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
TITLE = ParagraphStyle("title", parent=BODY, fontSize=16, leading=26, alignment=1)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=10.5, leading=15)

# Each notice: its header and body lines, then the calendar's title, header and rows. A row is
# (period, work, unit); a period of None is merged with the cell above; a work cell's "\n"
# starts a new line (a numbered item of its own), long items wrap.
NOTICES = {
    "luzhou_2024_pdf_table.pdf": {
        "lines": [
            "泸州市人民政府教育督导室",
            "泸教督〔2024〕3号",
            "关于印发《2024年泸州市教育督导工作要点》的通知",
            "各区县教育和体育局：",
            "现将《2024年泸州市教育督导工作要点》印发给你们，请结合实际认真抓好落实。",
            "泸州市人民政府教育督导室",
            "2024年3月5日",
            "#2024年泸州市教育督导工作要点",
            "一、督政工作",
            "1.开展县级政府履行教育职责评价。对合江县、叙永县开展实地督导，形成督导意见书。",
            "2.推进义务教育优质均衡发展。指导泸县、纳溪区做好国家督导评估准备工作。",
            "二、督学工作",
            "3.深化中小学校责任督学挂牌督导。落实常态化督导，提升督导实效。",
            "4.开展学校发展性督导评估。完善评估指标，开展第二轮评估。",
            "三、评估监测",
            "5.组织实施国家义务教育质量监测。做好监测结果运用。",
            "四、队伍建设",
            "6.加强督学队伍建设。组织督学业务培训，提升履职能力。",
            "附件",
        ],
        "table_title": "2024年泸州市教育督导重点工作安排表",
        "header": ("时间", "工作内容", "责任科室"),
        "rows": [
            ("1月", "召开全市教育督导工作会议，部署年度教育督导重点工作", "办公室"),
            (None, "部署寒假及春节期间学校安全专项督导", "督学科"),
            ("2月", "开展春季开学工作专项督导", "督学科"),
            (None, "印发年度教育督导工作要点", "办公室"),
            ("3月", "对合江县开展县级政府履行教育职责实地督导，形成督导意见书并反馈整改", "督政科"),
            (None, "启动学校发展性督导评估", "督学科"),
            ("4月", "1.组织督学业务培训\n2.开展责任督学挂牌督导工作交流", "督学科"),
            ("5月", "对叙永县开展县级政府履行教育职责实地督导", "督政科"),
            (None, "开展校外培训机构规范管理专项督导", "督学科"),
            ("6月", "组织义务教育质量监测现场测试", "评估科"),
            (None, "开展高考期间考点学校安全督导", "督学科"),
            ("7月", "开展暑期学校安全专项督导", "督学科"),
            ("8月", "指导泸县、纳溪区完善义务教育优质均衡发展国家督导评估迎检材料", "督政科"),
            ("9月", "开展秋季开学工作专项督导", "督学科"),
            (None, "组织责任督学开展开学第一周随机督导", "督学科"),
            ("10月", "开展学校发展性督导评估现场评估", "督学科"),
            (None, "对江阳区、龙马潭区开展义务教育优质均衡发展省级督导评估", "督政科"),
            (None, "开展中小学校食品安全专项督导", "督学科"),
            ("11月", "通报义务教育质量监测结果", "评估科"),
            (None, "开展县级政府履行教育职责评价整改复查", "督政科"),
            ("12月", "开展年度教育督导工作总结", "办公室"),
            (None, "研究部署下一年度教育督导重点工作", "办公室"),
        ],
        # The page breaks inside October's merged cell.
        "first_page_rows": 16,
    },
    "huzhou_2023_pdf_table.pdf": {
        "lines": [
            "湖州市人民政府教育督导委员会办公室",
            "湖教督办〔2023〕2号",
            "关于印发2023年湖州市教育督导工作要点的通知",
            "各区县教育局，南太湖新区社会事业局：",
            "现将《2023年湖州市教育督导工作要点》印发给你们，请认真贯彻执行。",
            "湖州市人民政府教育督导委员会办公室",
            "2023年2月20日",
            "#2023年湖州市教育督导工作要点",
            "一、强化督政",
            "1.开展县级政府履行教育职责评价。对德清县、长兴县开展实地督导。",
            "2.推进学前教育普及普惠发展。指导安吉县做好省级督导评估准备。",
            "二、深化督学",
            "3.开展中小学校规范办学专项督导。重点督导作业、睡眠、手机、读物、体质管理。",
            "4.完善责任督学挂牌督导机制。健全督学责任区。",
            "三、评估监测",
            "5.组织实施义务教育质量监测。对吴兴区、南浔区开展监测结果解读。",
            "附件",
        ],
        "table_title": "2023年湖州市教育督导工作安排",
        "header": ("序号", "时间", "工作内容", "责任科室"),
        "numbered": True,
        "rows": [
            ("第一季度", "召开全市教育督导工作会议", "办公室"),
            (None, "开展春季开学工作专项督导，重点检查校园安全和疫情防控工作落实情况", "督学科"),
            (None, "印发全年教育督导工作要点", "办公室"),
            ("第二季度", "对德清县开展县级政府履行教育职责实地督导", "督政科"),
            (None, "组织义务教育质量监测", "评估科"),
            (None, "开展中小学校规范办学专项督导，重点督导作业、睡眠、手机、读物、体质管理", "督学科"),
            (None, "组织全市督学业务培训", "督学科"),
            ("7-8月", "开展暑期安全专项督导", "督学科"),
            (None, "指导安吉县完善学前教育普及普惠督导评估迎检材料", "督政科"),
            ("第三季度", "对长兴县开展县级政府履行教育职责实地督导", "督政科"),
            (None, "开展秋季开学工作专项督导", "督学科"),
            (None, "对吴兴区、南浔区开展义务教育质量监测结果解读", "评估科"),
            ("第四季度", "开展学校发展性督导评估", "督学科"),
            (None, "开展年度教育督导工作总结", "办公室"),
            (None, "研究部署下一年度教育督导重点工作", "办公室"),
        ],
        # The page breaks between two rows of the third quarter.
        "first_page_rows": 11,
    },
}


def table(spec: dict, rows: list, *, number_from: int) -> Table:
    """The calendar's rows as one drawn table, header first; merged period cells as SPANs."""
    numbered = spec.get("numbered", False)
    data = [[Paragraph(h, CELL) for h in spec["header"]]]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
    ]
    period_column = 1 if numbered else 0
    span_start = None
    for i, (period, work, unit) in enumerate(rows, start=1):
        cells = [Paragraph(period or "", CELL), Paragraph(work.replace("\n", "<br/>"), CELL), Paragraph(unit, CELL)]
        if numbered:
            cells.insert(0, Paragraph(str(number_from + i - 1), CELL))
        data.append(cells)
        if period is not None or i == 1:
            if span_start is not None and i - 1 > span_start:
                style.append(("SPAN", (period_column, span_start), (period_column, i - 1)))
            span_start = i
    if span_start is not None and len(rows) > span_start:
        style.append(("SPAN", (period_column, span_start), (period_column, len(rows))))
    widths = [14 * mm, 26 * mm, 100 * mm, 26 * mm] if numbered else [28 * mm, 112 * mm, 26 * mm]
    drawn = Table(data, colWidths=widths, repeatRows=1)
    drawn.setStyle(TableStyle(style))
    return drawn


def write(name: str, spec: dict) -> None:
    story = []
    for line in spec["lines"]:
        if line.startswith("#"):
            story += [PageBreak(), Paragraph(line[1:], TITLE), Spacer(1, 4 * mm)]
        else:
            story.append(Paragraph(line, BODY))
    story += [PageBreak(), Paragraph(spec["table_title"], TITLE), Spacer(1, 4 * mm)]
    # The table is cut where a long table would be: the second part carries the header again
    # (as repeatRows draws it), and a period merged over the cut is drawn again below it,
    # empty, as word processors draw a merged cell continued on the next page.
    rows, cut = spec["rows"], spec["first_page_rows"]
    story += [table(spec, rows[:cut], number_from=1), PageBreak(), table(spec, rows[cut:], number_from=cut + 1)]
    document = SimpleDocTemplate(
        str(HERE / name),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=spec["table_title"],
        invariant=True,  # the same bytes on every run
    )
    document.build(story)


if __name__ == "__main__":
    for name, spec in NOTICES.items():
        write(name, spec)
        print(HERE / name)
