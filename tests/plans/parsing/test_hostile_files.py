"""Files built to exhaust the reader are refused with a message, in bounded memory.

Each test measures the peak of Python's allocations (tracemalloc) while the reader runs; the
bounds stated here are what a refusal may cost, far below what the file would unpack to.
"""

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plans.parsing import ERRORS, ParseError
from plans.parsing.readers import LIMITS, ReadLimits, read_document

from .documents import (
    MB,
    cjk_pdf,
    docx_bomb,
    docx_understating,
    docx_with,
    inflating_pdf,
    many_pages_pdf,
    one_page_pdf,
    small_docx,
    stream,
)

docx = pytest.importorskip("docx")

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def word_file() -> bytes:
    return small_docx()


def refusal(data: bytes, suffix: str, limits: ReadLimits = LIMITS) -> tuple[ParseError, int]:
    """The reader's refusal, and the peak of memory it allocated on the way."""
    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as refused:
            read_document(data, suffix, limits=limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = refused.value.render()
    assert refused.value.code in ERRORS and "Error" not in message and "Exception" not in message
    return refused.value, peak


def test_a_docx_that_unpacks_to_a_gigabyte_is_refused_before_it_is_unpacked(word_file):
    bomb = docx_bomb(word_file, 1024 * MB)
    assert len(bomb) < 2 * MB
    error, peak = refusal(bomb, ".docx")
    assert (error.code, error.params) == ("too_large", {"limit": "25 MB"})
    assert peak < 8 * MB


def test_a_docx_whose_zip_directory_understates_a_member_is_refused(word_file):
    # The directory says a kilobyte, the data inflates to 64 MB: reading stops at the kilobyte.
    error, peak = refusal(docx_understating(word_file, 64 * MB), ".docx")
    assert error.code == "invalid_docx"
    assert peak < 8 * MB


def test_a_docx_of_too_many_parts_is_refused(word_file):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(LIMITS.docx_parts + 1):
            archive.writestr(f"word/media/{number}.bin", b"")
    error, peak = refusal(out.getvalue(), ".docx")
    assert (error.code, error.params) == ("too_many_parts", {"limit": "2,000"})
    assert peak < 16 * MB


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + f"]><w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_in_a_docx_is_refused_unexpanded(word_file, encoding):
    xml = BILLION_LAUGHS if encoding == "utf-8" else BILLION_LAUGHS.replace('"1.0"?', '"1.0" encoding="UTF-16"?')
    error, peak = refusal(docx_with(word_file, "word/document.xml", xml.encode(encoding)), ".docx")
    assert error.code == "unsafe_docx"
    assert peak < 4 * MB


def test_an_external_entity_in_a_docx_part_is_refused(word_file):
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Types>&x;</Types>'
    error, _ = refusal(docx_with(word_file, "[Content_Types].xml", xxe.encode()), ".docx")
    assert error.code == "unsafe_docx"


def test_deeply_nested_xml_in_a_docx_is_refused(word_file):
    depth = 200_000
    body = "<w:p>" * depth + "</w:p>" * depth
    xml = f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'
    error, peak = refusal(docx_with(word_file, "word/document.xml", xml.encode()), ".docx")
    assert error.code == "invalid_docx"
    assert peak < 16 * MB


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_truncated_docx_is_refused(word_file, cut):
    error, peak = refusal(word_file[: int(len(word_file) * cut)], ".docx")
    assert error.code == "invalid_docx"
    assert peak < 4 * MB


def test_a_zip_that_is_no_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "你好")
    assert refusal(out.getvalue(), ".docx")[0].code == "invalid_docx"


def test_a_pdf_of_a_thousand_pages_is_refused():
    error, peak = refusal(many_pages_pdf(1000), ".pdf")
    assert (error.code, error.params) == ("too_many_pages", {"limit": "300"})
    assert peak < 32 * MB


def test_a_pdf_stream_that_inflates_without_end_is_refused_within_the_budget():
    # Half a gigabyte of content compressed into half a megabyte.
    data = inflating_pdf(512 * MB)
    assert len(data) < MB
    error, peak = refusal(data, ".pdf")
    assert (error.code, error.params) == ("too_large", {"limit": "32 MB"})
    assert peak < LIMITS.pdf_decoded_bytes + 32 * MB


def test_an_endless_content_stream_is_stopped_by_the_time_budget():
    # Operators without end and without text: a million saved graphics states, unknown words.
    for content in (b"q " * 1_000_000, b"noise " * 1_000_000):
        error, peak = refusal(one_page_pdf(content), ".pdf", ReadLimits(pdf_seconds=0.5))
        assert (error.code, error.params) == ("too_slow", {"limit": "0.5"})
        assert peak < 32 * MB


def test_a_page_drawing_more_text_than_a_page_holds_is_refused():
    error, peak = refusal(one_page_pdf(b"BT /F1 1 Tf (" + b"A" * 200_000 + b") Tj ET"), ".pdf")
    assert error.code == "too_long"
    assert peak < 64 * MB


def test_text_longer_than_any_notice_is_refused():
    lines = [(72, 800 - 12 * n, "开展督导" * 20) for n in range(60)]
    error, _ = refusal(cjk_pdf(lines), ".pdf", ReadLimits(text_chars=2_000))
    assert (error.code, error.params) == ("too_long", {"limit": "2,000"})


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.4\nnot really", "invalid_pdf"),
        (b"PK\x03\x04junk", "invalid_docx"),
        (one_page_pdf(b"0 0 m 100 100 l S"), "pdf_no_text"),
    ],
)
def test_damaged_or_textless_files_are_refused_with_a_message(data, code):
    suffix = ".docx" if data.startswith(b"PK") else ".pdf"
    assert refusal(data, suffix)[0].code == code


def test_a_pdf_larger_than_the_limit_is_refused_unread():
    error, peak = refusal(b"%PDF-1.4\n" + b" " * (LIMITS.pdf_bytes + 1), ".pdf")
    assert (error.code, error.params) == ("too_large", {"limit": "20 MB"})
    assert peak < MB


def test_outside_a_read_pdfminer_decodes_as_its_own():
    # The budget hooks are installed once, and do nothing to pdfminer used elsewhere.
    from pdfminer import pdftypes

    read_document(cjk_pdf([(72, 800, "2022年工作要点")]), ".pdf")
    assert pdftypes.zlib.decompress(__import__("zlib").compress(b" " * (2 * MB))) == b" " * (2 * MB)


# --- Damaged files of every kind: a message, never an exception of a library ---------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def calendar_word_file() -> bytes:
    document = docx.Document()
    for text in ("2022年某县教育督导工作要点", "一、工作任务", "1.开展学校安全专项督导。"):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "一季度", "印发工作要点"
    table.cell(1, 0).merge(table.cell(0, 0))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


WORD_FILE = calendar_word_file()
PDF_FILE = cjk_pdf(
    [(72, 800, "2022年某县教育督导工作要点"), (72, 780, "一、工作任务"), (72, 760, "1.开展学校安全专项督导。")]
)


def read_or_refuse(data: bytes, suffix: str) -> None:
    try:
        text = read_document(data, suffix, limits=ReadLimits(pdf_seconds=5))
    except ParseError as error:
        assert error.code in ERRORS
        error.render()
    else:
        assert isinstance(text, str)


@FUZZ
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6))
def test_a_word_file_with_corrupted_bytes_is_read_or_refused_with_a_message(flips):
    data = bytearray(WORD_FILE)
    for at, byte in flips:
        data[int(len(data) * at)] = byte
    read_or_refuse(bytes(data), ".docx")


@FUZZ
@given(
    member=st.sampled_from(
        [
            "word/document.xml",
            "[Content_Types].xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/numbering.xml",
        ]
    ),
    payload=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
)
def test_a_word_file_with_a_part_replaced_by_anything_is_read_or_refused(member, payload):
    read_or_refuse(docx_with(WORD_FILE, member, payload), ".docx")


@FUZZ
@given(
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=6),
    cut=st.floats(0.05, 1),
)
def test_a_pdf_with_corrupted_or_missing_bytes_is_read_or_refused_with_a_message(flips, cut):
    data = bytearray(PDF_FILE[: int(len(PDF_FILE) * cut)])
    for at, byte in flips:
        data[int(len(data) * at)] = byte
    read_or_refuse(bytes(data), ".pdf")


@FUZZ
@given(
    content=st.lists(
        st.sampled_from(
            [
                b"q",
                b"Q",
                b"BT",
                b"ET",
                b"/F1 12 Tf",
                b"(A) Tj",
                b"<4E00> Tj",
                b"1 0 0 1 0 0 cm",
                b"0 0 m",
                b"10 10 l",
                b"S",
                b"/X Do",
                b"[",
                b"]",
                b"<<",
                b">>",
                b"(",
                b")",
                b"1e999",
                b"-",
                b"/",
                b"BI",
                b"ID",
                b"EI",
                b"%",
            ]
        ),
        max_size=60,
    ).map(b" ".join)
)
def test_a_pdf_with_any_content_stream_is_read_or_refused_with_a_message(content):
    read_or_refuse(one_page_pdf(content), ".pdf")
    read_or_refuse(one_page_pdf(content, b"/Filter /FlateDecode"), ".pdf")
    read_or_refuse(one_page_pdf(stream(content)), ".pdf")
