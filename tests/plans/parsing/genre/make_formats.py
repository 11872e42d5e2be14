"""Builds the genre documents in the forms offices publish besides text: Word 97–2003 (.doc),
WPS (.wps), OFD and a scanned PDF. Run once; the files it wrote are committed beside it.

    python tests/plans/parsing/genre/make_formats.py [docx|doc|ofd|scan]

The notices are written here as paragraphs and tables. .docx comes from python-docx; .doc from
LibreOffice (`soffice --convert-to "doc:MS Word 97"`, by way of .odt). LibreOffice cannot write
.wps. WPS Writer's own .wps (WPS 2005 on) is, like .doc, Word's binary format in an OLE compound
file (WordDocument, 1Table, the summary streams), which LibreOffice reads with its Word 97 filter;
so the test .wps is that same conversion saved under WPS's suffix, and the reader names the Word
97 filter rather than letting the suffix choose Microsoft Works' (a different, older format).
What it does not reproduce: the streams WPS adds of its own, which a reader of Word's format
ignores. OFD is written here by hand after GB/T 33190 (OFD.xml → DocBody/DocRoot →
Doc_0/Document.xml → Pages/Page_N/Content.xml, TextObjects with a Boundary, TextCodes with X/Y
and DeltaX, laid out as GB/T 9704 公文: 28 characters a line, 22 lines a page, objects written
out of reading order), because no free tool writes it. The scan is the .docx printed to PDF by
LibreOffice, rendered at 150 dpi by pdftoppm, tilted, speckled, blurred and saved by Pillow as an
image-only PDF (run it with Pillow installed).
"""

import io
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

# Each notice: its file stem, then blocks: a str is a paragraph, a list of rows is a table.
LUZHOU = (
    "luzhou_2024_word97",
    [
        "泸州市人民政府教育督导室",
        "泸教督〔2024〕6号",
        "关于印发2024年泸州市教育督导工作要点的通知",
        "各区县教育局，泸州高新区社会事业局：",
        "现将《2024年泸州市教育督导工作要点》印发给你们，请结合实际认真抓好落实。",
        "泸州市人民政府教育督导室",
        "2024年2月26日",
        "2024年泸州市教育督导工作要点",
        "一、督政工作",
        "1.开展县级政府履行教育职责评价。对合江县、叙永县开展实地督导，形成督导意见书。",
        "2.推进义务教育优质均衡发展。指导泸县、古蔺县做好国家督导评估准备。",
        "二、督学工作",
        "3.深化中小学校责任督学挂牌督导。落实每月到校督导制度。",
        "4.开展幼儿园办园行为督导评估。重点对江阳区、纳溪区开展评估。",
        "三、评估监测",
        "5.组织实施国家义务教育质量监测。做好监测结果运用。",
        "附件：2024年重点工作安排",
        [
            ["时间", "工作内容", "责任科室"],
            ["2月", "印发全市教育督导工作要点", "综合科"],
            ["3-4月", "对合江县、叙永县开展县级政府履职实地督导", "督政科"],
            ["5月", "组织国家义务教育质量监测", "评估监测科"],
            ["9月", "开展秋季开学专项督导", "督学科"],
            ["11月", "对江阳区、纳溪区开展幼儿园办园行为督导评估", "督学科"],
        ],
    ],
)

YANGZHOU = (
    "yangzhou_2023_wps",
    [
        "扬州市人民政府教育督导委员会办公室",
        "扬教督办〔2023〕2号",
        "关于印发2023年扬州市教育督导工作要点的通知",
        "各县（市、区）教育局、政府教育督导室，市直各学校：",
        "现将《2023年扬州市教育督导工作要点》印发给你们，请认真贯彻执行。",
        "扬州市人民政府教育督导委员会办公室",
        "2023年3月1日",
        "2023年扬州市教育督导工作要点",
        "一、强化督政",
        "1.开展县级政府履行教育职责评价。对宝应县、高邮市开展实地督导。",
        "2.推进学前教育普及普惠督导评估。指导仪征市做好省级评估准备。",
        "二、深化督学",
        "3.完善责任督学挂牌督导。组织督学培训，提升专业能力。",
        "4.开展课后服务专项督导。重点对广陵区、邗江区开展随机抽查。",
        "三、工作月历",
        "一季度：印发年度工作要点；部署春季开学专项督导。",
        "二季度：对宝应县、高邮市开展实地督导。",
        "三季度：开展课后服务专项督导。",
        "四季度：组织年度工作总结。",
    ],
)

ZHUZHOU = (
    "zhuzhou_2022_ofd",
    [
        "株洲市人民政府教育督导室",
        "株教督〔2022〕3号",
        "关于印发2022年株洲市教育督导工作要点的通知",
        "各县市区教育局：",
        "现将《2022年株洲市教育督导工作要点》印发给你们，请认真组织实施。",
        "株洲市人民政府教育督导室",
        "2022年3月8日",
        "2022年株洲市教育督导工作要点",
        "一、督政工作",
        "1.开展县级政府履行教育职责评价。对攸县、茶陵县开展实地督导，督促问题整改。",
        "2.推进义务教育优质均衡发展。指导醴陵市、渌口区做好迎检准备。",
        "二、督学工作",
        "3.开展责任督学挂牌督导。落实常态化督导。",
        "4.开展校园安全专项督导。重点对荷塘区、芦淞区开展抽查。",
        "三、保障措施",
        "5.加强督学队伍建设。组织督学培训。",
        "附件：重点工作安排",
        "3月：印发全市教育督导工作要点；部署春季开学专项督导。",
        "4-5月：对攸县、茶陵县开展实地督导。",
        "9月：开展校园安全专项督导。",
        "12月：开展年度工作总结。",
    ],
)

HUZHOU = (
    "huzhou_2024_scanned",
    [
        "湖州市人民政府教育督导室",
        "湖教督〔2024〕5号",
        "关于印发2024年湖州市教育督导工作要点的通知",
        "各区县教育局：",
        "现将《2024年湖州市教育督导工作要点》印发给你们，请认真贯彻落实。",
        "湖州市人民政府教育督导室",
        "2024年3月4日",
        "2024年湖州市教育督导工作要点",
        "一、督政工作",
        "1.开展县级政府履行教育职责评价。对德清县、长兴县开展实地督导。",
        "2.推进义务教育优质均衡发展。指导安吉县做好国家督导评估准备。",
        "二、督学工作",
        "3.开展责任督学挂牌督导。落实每月到校督导制度。",
        "4.开展课后服务专项督导。重点对吴兴区、南浔区开展抽查。",
        "三、工作安排",
        "3月：印发全市教育督导工作要点。",
        "4-5月：对德清县、长兴县开展实地督导。",
        "10月：开展课后服务专项督导。",
    ],
)

NOTICES = [LUZHOU, YANGZHOU, ZHUZHOU, HUZHOU]


def docx_bytes(blocks) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, block):
                for cell, value in zip(row.cells, values):
                    cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice(source: Path, target: str, outdir: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return outdir / (source.stem + "." + target.split(":")[0])


def write_word97():
    for stem, blocks in (LUZHOU, YANGZHOU):
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{stem}.docx"
            source.write_bytes(docx_bytes(blocks))
            # Through ODF: LibreOffice 7.4 writes python-docx's tables into .doc as plain text when
            # it converts .docx to .doc directly, but keeps them from .odt.
            odt = soffice(source, "odt", Path(tmp) / "odt")
            doc = soffice(odt, "doc:MS Word 97", Path(tmp))
            suffix = ".wps" if stem.endswith("wps") else ".doc"
            (HERE / f"{stem}{suffix}").write_bytes(doc.read_bytes())


# --- OFD (GB/T 33190-2016) -----------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210, 297  # millimetres: OFD's unit
# 公文 (GB/T 9704): 三号 仿宋 (16 pt, 5.6 mm), 28 characters a line, 22 lines a page, page
# numbers "— 1 —" at the foot.
FONT_MM = 5.6
LINE_MM = 10.0
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
TOP, LEFT = 37.0, 28.0


def ofd_layout(blocks) -> list[list[tuple[float, float, str]]]:
    """Pages of (x, y, text) text objects: paragraphs wrapped as 公文 wraps them, body
    paragraphs indented by two characters."""
    pages, page = [], []

    def place(x: float, text: str) -> None:
        nonlocal page
        if len(page) == LINES_PER_PAGE:
            pages.append(page)
            page = []
        page.append((x, TOP + LINE_MM * len(page), text))

    for block in blocks:
        if not isinstance(block, str):
            raise ValueError("OFD notices here are paragraphs")
        indent = 0 if block.endswith(("室", "：")) and len(block) < 20 else 2
        x, width, rest = LEFT + indent * FONT_MM, CHARS_PER_LINE - indent, block
        while rest:
            cut = width
            # 避头点: a line never starts with closing punctuation; it stays on the line before.
            while cut < len(rest) and rest[cut] in "，。；：、）》”":
                cut += 1
            place(x, rest[:cut])
            x, width, rest = LEFT, CHARS_PER_LINE, rest[cut:]
    pages.append(page)
    for number, page in enumerate(pages, start=1):
        page.append((PAGE_W / 2 - 2 * FONT_MM, PAGE_H - 20, f"— {number} —"))
    return pages


def _text_object(id_: int, x: float, y: float, text: str, *, split_at: int = 0) -> str:
    """One TextObject drawing `text` from (x, y); DeltaX gives each glyph's advance. `split_at`
    cuts the run into two TextCodes, as writers do at a change of font or spacing."""
    width = FONT_MM * len(text)
    codes = []
    pieces = [(0, text)] if not split_at else [(0, text[:split_at]), (split_at, text[split_at:])]
    for start, piece in pieces:
        delta = f"g {len(piece) - 1} {FONT_MM:g}" if len(piece) > 1 else ""
        attrs = f' X="{start * FONT_MM:g}" Y="{FONT_MM:g}"' + (f' DeltaX="{delta}"' if delta else "")
        codes.append(f"<ofd:TextCode{attrs}>{escape(piece)}</ofd:TextCode>")
    return (
        f'<ofd:TextObject ID="{id_}" Boundary="{x:g} {y - FONT_MM:g} {width:g} {FONT_MM * 1.4:g}" '
        f'Font="3" Size="{FONT_MM:g}">' + "".join(codes) + "</ofd:TextObject>"
    )


def ofd_bytes(pages: list[list[tuple[float, float, str]]], *, shuffle: bool = True) -> bytes:
    """An OFD package. Text objects are written out of reading order (as layout software often
    does: a page's header block last), so the reader must order them by position."""
    rng = random.Random(33190)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0f1e2d3c4b5a69788796a5b4c3d2e1f0</ofd:DocID>"
            "<ofd:Creator>make_formats.py</ofd:Creator></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{10 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages))
        )
        z.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}">'
            f"<ofd:CommonData><ofd:MaxUnitID>100000</ofd:MaxUnitID><ofd:PageArea>"
            f"<ofd:PhysicalBox>0 0 {PAGE_W} {PAGE_H}</ofd:PhysicalBox></ofd:PageArea>"
            "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        z.writestr(
            "Doc_0/PublicRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res">'
            '<ofd:Fonts><ofd:Font ID="3" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>',
        )
        next_id = 1000
        for n, page in enumerate(pages):
            objects = []
            for x, y, text in page:
                split = len(text) // 2 if len(text) > 8 and next_id % 3 == 0 else 0
                objects.append(_text_object(next_id, x, y, text, split_at=split))
                next_id += 1
            if shuffle:
                rng.shuffle(objects)
            z.writestr(
                f"Doc_0/Pages/Page_{n}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{5000 + n}" Type="Body">' + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return out.getvalue()


def write_ofd():
    stem, blocks = ZHUZHOU
    (HERE / f"{stem}.ofd").write_bytes(ofd_bytes(ofd_layout(blocks)))


# --- A scan ---------------------------------------------------------------------------------------


def write_scan():
    from PIL import Image, ImageFilter

    stem, blocks = HUZHOU
    rng = random.Random(2024)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{stem}.docx"
        source.write_bytes(docx_bytes(blocks))
        pdf = soffice(source, "pdf", Path(tmp))
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), str(Path(tmp) / "p")], check=True)
        images = []
        for png in sorted(Path(tmp).glob("p-*.png")):
            image = Image.open(png).convert("L")
            image = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.BICUBIC, expand=False, fillcolor=255)
            pixels = image.load()
            width, height = image.size
            for _ in range(width * height // 400):  # speckle: dust and toner
                pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 200))
            images.append(image.filter(ImageFilter.GaussianBlur(0.6)))
        images[0].save(HERE / f"{stem}.pdf", save_all=True, append_images=images[1:], resolution=150)


if __name__ == "__main__":
    which = sys.argv[1:] or ["docx", "doc", "ofd", "scan"]
    if "docx" in which:
        for stem, blocks in NOTICES:
            if stem.startswith(("luzhou", "yangzhou")):
                (HERE / f"{stem}.docx").write_bytes(docx_bytes(blocks))
    if "doc" in which:
        write_word97()
    if "ofd" in which:
        write_ofd()
    if "scan" in which:
        write_scan()
