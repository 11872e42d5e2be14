"""Notices in the forms offices publish besides text: Word 97–2003 (.doc), WPS (.wps), OFD and
scanned PDFs; each read at ≥ 0.97 agreement with what the notice says, and hostile files of each
form refused with a message, in bounded time and memory.

The documents are in genre/, written for these tests by genre/make_formats.py (which says how
each form was made)."""

import io
import time
import tracemalloc
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from plans.parsing import ParseError, parse_bytes, word97
from plans.parsing import ocr as ocr_module
from plans.parsing.readers import LIMITS, read_document, read_file

GENRE = Path(__file__).resolve().parent / "genre"
MB = 1024 * 1024


def facts(doc) -> dict[str, list]:
    """What a reading must get right: sections, tasks, calendar entries with their periods, counties."""
    return {
        "sections": [(s.label, s.heading) for s in doc.sections],
        "tasks": [(t.number, t.title, tuple(t.counties)) for t in doc.tasks],
        "entries": [(e.period, e.text) for e in doc.schedule],
        "counties": list(doc.counties),
    }


def agreement(expected: dict[str, list], found: dict[str, list]) -> float:
    """Items found as expected, over the larger of the expected and found counts, all kinds together."""
    matched = total = 0
    for kind, items in expected.items():
        got = list(found.get(kind, []))
        for item in items:
            if item in got:
                got.remove(item)
                matched += 1
        total += max(len(items), len(found.get(kind, [])))
    return matched / total if total else 1.0


EXPECTED = {
    "luzhou_2024_word97.doc": {
        "header": ("泸州市人民政府教育督导室", "泸教督〔2024〕6号", "2024-02-26"),
        "sections": [("一、", "督政工作"), ("二、", "督学工作"), ("三、", "评估监测")],
        "tasks": [
            (1, "开展县级政府履行教育职责评价", ("合江县", "叙永县")),
            (2, "推进义务教育优质均衡发展", ("泸县", "古蔺县")),
            (3, "深化中小学校责任督学挂牌督导", ()),
            (4, "开展幼儿园办园行为督导评估", ("江阳区", "纳溪区")),
            (5, "组织实施国家义务教育质量监测", ()),
        ],
        "entries": [
            ("2月", "印发全市教育督导工作要点"),
            ("3-4月", "对合江县、叙永县开展县级政府履职实地督导"),
            ("5月", "组织国家义务教育质量监测"),
            ("9月", "开展秋季开学专项督导"),
            ("11月", "对江阳区、纳溪区开展幼儿园办园行为督导评估"),
        ],
        "counties": ["合江县", "叙永县", "泸县", "古蔺县", "江阳区", "纳溪区"],
    },
    "yangzhou_2023_wps.wps": {
        "header": ("扬州市人民政府教育督导委员会办公室", "扬教督办〔2023〕2号", "2023-03-01"),
        "sections": [("一、", "强化督政"), ("二、", "深化督学"), ("三、", "工作月历")],
        "tasks": [
            (1, "开展县级政府履行教育职责评价", ("宝应县", "高邮市")),
            (2, "推进学前教育普及普惠督导评估", ("仪征市",)),
            (3, "完善责任督学挂牌督导", ()),
            (4, "开展课后服务专项督导", ("广陵区", "邗江区")),
        ],
        "entries": [
            ("一季度", "印发年度工作要点"),
            ("一季度", "部署春季开学专项督导"),
            ("二季度", "对宝应县、高邮市开展实地督导"),
            ("三季度", "开展课后服务专项督导"),
            ("四季度", "组织年度工作总结"),
        ],
        "counties": ["宝应县", "高邮市", "仪征市", "广陵区", "邗江区"],
    },
    "zhuzhou_2022_ofd.ofd": {
        "header": ("株洲市人民政府教育督导室", "株教督〔2022〕3号", "2022-03-08"),
        "sections": [("一、", "督政工作"), ("二、", "督学工作"), ("三、", "保障措施")],
        "tasks": [
            (1, "开展县级政府履行教育职责评价", ("攸县", "茶陵县")),
            (2, "推进义务教育优质均衡发展", ("醴陵市", "渌口区")),
            (3, "开展责任督学挂牌督导", ()),
            (4, "开展校园安全专项督导", ("荷塘区", "芦淞区")),
            (5, "加强督学队伍建设", ()),
        ],
        "entries": [
            ("3月", "印发全市教育督导工作要点"),
            ("3月", "部署春季开学专项督导"),
            ("4-5月", "对攸县、茶陵县开展实地督导"),
            ("9月", "开展校园安全专项督导"),
            ("12月", "开展年度工作总结"),
        ],
        "counties": ["攸县", "茶陵县", "醴陵市", "渌口区", "荷塘区", "芦淞区"],
    },
    "huzhou_2024_scanned.pdf": {
        "header": ("湖州市人民政府教育督导室", "湖教督〔2024〕5号", "2024-03-04"),
        "sections": [("一、", "督政工作"), ("二、", "督学工作"), ("三、", "工作安排")],
        "tasks": [
            (1, "开展县级政府履行教育职责评价", ("德清县", "长兴县")),
            (2, "推进义务教育优质均衡发展", ("安吉县",)),
            (3, "开展责任督学挂牌督导", ()),
            (4, "开展课后服务专项督导", ("吴兴区", "南浔区")),
        ],
        "entries": [
            ("3月", "印发全市教育督导工作要点"),
            ("4-5月", "对德清县、长兴县开展实地督导"),
            ("10月", "开展课后服务专项督导"),
        ],
        "counties": ["德清县", "长兴县", "安吉县", "吴兴区", "南浔区"],
    },
}


def read(name: str, gazetteer):
    return parse_bytes((GENRE / name).read_bytes(), gazetteer, source_format=Path(name).suffix)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_form_is_read_in_agreement_with_the_notice(gazetteer, name):
    expected = EXPECTED[name]
    doc = read(name, gazetteer)
    found = facts(doc)
    score = agreement({k: v for k, v in expected.items() if k != "header"}, found)
    assert score >= 0.97, (score, found)
    assert (doc.issuing_office, doc.doc_number, str(doc.issue_date)) == expected["header"]


@pytest.mark.parametrize("name", ["luzhou_2024_word97", "yangzhou_2023_wps"])
def test_a_word97_file_reads_as_the_docx_it_was_made_from(name):
    source = read_document((GENRE / f"{name}.docx").read_bytes(), ".docx")
    converted = next(GENRE.glob(f"{name}.[dw][op][cs]"))
    # Word keeps an empty paragraph after a table at the end of a document.
    assert read_document(converted.read_bytes(), converted.suffix).rstrip("\n") == source


def test_the_agreement_counts_what_is_missing_and_what_is_extra():
    expected = {"tasks": [1, 2, 3, 4], "counties": ["a"]}
    assert agreement(expected, {"tasks": [1, 2, 3, 4], "counties": ["a"]}) == 1.0
    assert agreement(expected, {"tasks": [1, 2, 3], "counties": ["a"]}) == 0.8
    assert agreement(expected, {"tasks": [1, 2, 3, 4, 5], "counties": ["a"]}) == 5 / 6


# --- .doc and .wps -------------------------------------------------------------------------------


def test_without_libreoffice_a_word97_file_gets_a_clear_message_and_the_rest_still_reads(monkeypatch):
    from django.utils import translation

    monkeypatch.setattr(word97, "soffice_path", lambda: None)
    with pytest.raises(ParseError) as error:
        read_document((GENRE / "luzhou_2024_word97.doc").read_bytes(), ".doc")
    assert error.value.code == "no_libreoffice"
    with translation.override("zh-hans"):
        assert error.value.render(translation.gettext) == (
            "服务器未安装 LibreOffice，无法读取 .doc/.wps 文件；请另存为 .docx 或 PDF 后上传"
        )
    assert "泸州市" in read_document((GENRE / "luzhou_2024_word97.docx").read_bytes(), ".docx")


@pytest.mark.parametrize(
    "data, code",
    [
        (b"<html>not a Word file</html>", "invalid_word97"),
        (word97.OLE_MAGIC + b"\x00" * 4096, "invalid_word97"),
        (word97.OLE_MAGIC + b"\x00" * (LIMITS.word97_bytes + 1), "too_large"),
    ],
)
def test_what_is_not_a_word97_file_is_refused(data, code):
    with pytest.raises(ParseError) as error:
        read_document(data, ".wps")
    assert error.value.code == code


def test_a_conversion_over_its_time_is_killed_with_its_process_group():
    data = (GENRE / "luzhou_2024_word97.doc").read_bytes()
    started = time.monotonic()
    with pytest.raises(ParseError) as error:
        read_document(data, ".doc", limits=replace(LIMITS, convert_seconds=0.2))
    assert error.value.code == "too_slow_convert"
    assert time.monotonic() - started < 10


def test_a_converted_file_is_held_to_the_docx_limits():
    data = (GENRE / "luzhou_2024_word97.doc").read_bytes()
    with pytest.raises(ParseError) as error:
        read_document(data, ".doc", limits=replace(LIMITS, docx_unpacked_bytes=10_000))
    assert error.value.code == "too_large"


# --- OFD -----------------------------------------------------------------------------------------


def ofd_with(page_xml: bytes, *, extra: dict[str, bytes] | None = None, compress_level: int = 6) -> bytes:
    """The genre OFD with its first page's content replaced."""
    source = zipfile.ZipFile(GENRE / "zhuzhou_2022_ofd.ofd")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compress_level) as z:
        for info in source.infolist():
            data = page_xml if info.filename == "Doc_0/Pages/Page_0/Content.xml" else source.read(info)
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def page(objects: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">'
        f"<ofd:Content><ofd:Layer ID='1'>{objects}</ofd:Layer></ofd:Content></ofd:Page>"
    ).encode()


def bounded(call):
    """The ParseError `call` raises, its peak of traced memory and its time."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ParseError) as error:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return error.value, peak, time.monotonic() - started


def test_text_objects_are_ordered_by_position_not_by_their_order_in_the_file():
    text = read_document((GENRE / "zhuzhou_2022_ofd.ofd").read_bytes(), ".ofd")
    assert text.split("\n")[:3] == [
        "株洲市人民政府教育督导室",
        "株教督〔2022〕3号",
        "关于印发2022年株洲市教育督导工作要点的通知",
    ]


def test_runs_on_one_baseline_make_a_line_and_columns_keep_a_gap():
    objects = (
        '<ofd:TextObject ID="3" Boundary="80 20 40 6" Size="5"><ofd:TextCode X="0" Y="5">工作内容</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="2" Boundary="20 20 20 6" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 1 5">3月</ofd:TextCode></ofd:TextObject>'
        '<ofd:TextObject ID="4" Boundary="20 30 90 6" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="5 5">一、督</ofd:TextCode>'
        '<ofd:TextCode DeltaX="5">政工</ofd:TextCode><ofd:TextCode>作</ofd:TextCode></ofd:TextObject>'
    )
    text = read_document(ofd_with(page(objects)), ".ofd")
    assert text.split("\n")[:2] == ["3月    工作内容", "一、督政工作"]


def test_an_ofd_zip_bomb_is_refused_in_bounded_memory():
    huge = b"<!-- -->" + b" " * (80 * MB)
    error, peak, seconds = bounded(lambda: read_document(ofd_with(page(""), extra={"Doc_0/Res/x.xml": huge}), ".ofd"))
    assert error.code == "too_large"
    assert peak < 5 * MB and seconds < 10


def test_an_ofd_with_entities_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="1">'
        b'<ofd:TextObject ID="2" Boundary="0 0 10 10"><ofd:TextCode X="0" Y="5">&lol3;</ofd:TextCode>'
        b"</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"
    )
    error, peak, seconds = bounded(lambda: read_document(ofd_with(laughs), ".ofd"))
    assert error.code == "unsafe_ofd"
    assert error.render().startswith("The OFD document declares a DTD")
    assert peak < 5 * MB and seconds < 5


def test_a_page_of_a_hundred_thousand_text_objects_is_refused_in_bounded_memory_and_time():
    one = '<ofd:TextObject ID="{0}" Boundary="10 {1} 100 6" Size="5"><ofd:TextCode X="0" Y="5">督导</ofd:TextCode></ofd:TextObject>'
    data = ofd_with(page("".join(one.format(i, i % 250) for i in range(100_000))))
    assert len(data) < 2 * MB  # small to upload, large unpacked
    error, peak, seconds = bounded(lambda: read_document(data, ".ofd"))
    assert error.code == "ofd_too_many_objects"
    assert peak < 24 * MB and seconds < 20


def test_an_ofd_read_over_its_time_is_stopped():
    with pytest.raises(ParseError) as error:
        read_document((GENRE / "zhuzhou_2022_ofd.ofd").read_bytes(), ".ofd", limits=replace(LIMITS, ofd_seconds=0))
    assert error.value.code == "ofd_too_slow"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 not a zip",
        ofd_with(page(""), extra={}).replace(b"OFD.xml", b"XYZ.xml"),
        ofd_with(page("<ofd:TextObject ID='1'><ofd:TextCode X='0' Y='0'>未闭合")),
    ],
    ids=["not a zip", "no OFD.xml", "malformed page"],
)
def test_what_is_not_an_ofd_is_refused(data):
    with pytest.raises(ParseError) as error:
        read_document(data, ".ofd")
    assert error.value.code == "invalid_ofd"


def test_a_page_outside_the_package_is_refused():
    source = zipfile.ZipFile(GENRE / "zhuzhou_2022_ofd.ofd")
    document = source.read("Doc_0/Document.xml").replace(b"Pages/Page_0/Content.xml", b"../../etc/passwd")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            z.writestr(info.filename, document if info.filename == "Doc_0/Document.xml" else source.read(info))
    with pytest.raises(ParseError) as error:
        read_document(out.getvalue(), ".ofd")
    assert error.value.code == "invalid_ofd"


def test_too_many_pages_are_refused():
    with pytest.raises(ParseError) as error:
        read_document((GENRE / "zhuzhou_2022_ofd.ofd").read_bytes(), ".ofd", limits=replace(LIMITS, ofd_pages=1))
    assert error.value.code == "ofd_too_many_pages"


# --- Scanned PDFs ----------------------------------------------------------------------------------


def test_every_line_of_a_scan_is_marked_as_read_by_ocr():
    read = read_file((GENRE / "huzhou_2024_scanned.pdf").read_bytes(), ".pdf")
    lines = read.text.split("\n")
    assert read.ocr_lines == tuple(range(len(lines)))
    assert "4.开展课后服务专项督导。重点对吴兴区、南浔区开展抽查。" in lines


def test_a_text_pdf_has_no_ocr_lines():
    from tests.plans.parsing.documents import cjk_pdf

    read = read_file(cjk_pdf([(50, 800, "2022年某县教育督导工作要点"), (50, 780, "一、工作")]), ".pdf")
    assert read.ocr_lines == ()


def test_without_an_engine_a_scan_gets_a_clear_message(monkeypatch):
    monkeypatch.setattr(ocr_module, "engine", lambda: None)
    with pytest.raises(ParseError) as error:
        read_file((GENRE / "huzhou_2024_scanned.pdf").read_bytes(), ".pdf")
    assert error.value.code == "no_ocr"


def test_a_scan_over_the_page_limit_or_time_is_refused():
    data = (GENRE / "huzhou_2024_scanned.pdf").read_bytes()
    with pytest.raises(ParseError) as error:
        read_file(data, ".pdf", limits=replace(LIMITS, ocr_pages=0))
    assert error.value.code == "ocr_too_many_pages"
    started = time.monotonic()
    with pytest.raises(ParseError) as error:
        read_file(data, ".pdf", limits=replace(LIMITS, ocr_seconds=1))
    assert error.value.code == "ocr_too_slow"
    assert time.monotonic() - started < 8


def test_tesseract_spacing_is_closed_up():
    assert (
        ocr_module._close_spaces("4-5 月 : 对德清县、长兴县开展实地督导 。") == "4-5月:对德清县、长兴县开展实地督导。"
    )
