"""Text out of the file types notices come in: plain text, Word (.docx, and .doc/.wps through
LibreOffice), text PDFs (scans through OCR when an engine is installed) and OFD.

Uploads are untrusted, so every reader works within limits set before it reads: a .docx is a zip
whose members may unpack to far more than the upload (a zip bomb) or declare entities that expand
(billion laughs); a PDF may hold streams that inflate without end, content that loops, or more
pages than any notice. Each limit refuses with a ParseError that says which, and memory stays
bounded by the limits, not by what the file claims.
"""

import contextvars
import io
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass

from schedule.numerals import int_to_cn

from .messages import ParseError
from .pdf_tables import ruled_lines
from .tables import grid_lines
from .text import CELL_BREAK, DITTO, MAX_TEXT_CHARS, decode

SUPPORTED = (".txt", ".docx", ".pdf", ".doc", ".wps", ".ofd")
# What zipfile raises on a damaged or hostile archive, opening it or reading a member: a bad
# directory, sizes or offsets out of range, a version or method it does not implement.
DAMAGED_ZIP = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)
MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """How much a reader may take from one file. A notice is a few pages: a .docx of one is some
    tens of kilobytes of XML, a text PDF a few hundred kilobytes and a handful of pages."""

    # A .docx: at most this many zip members, each and all together at most this large unpacked.
    docx_parts: int = 2_000
    docx_part_bytes: int = 25 * MB
    docx_unpacked_bytes: int = 50 * MB
    # A PDF: the file, its decoded streams together, its pages, and the time spent reading it.
    pdf_bytes: int = 20 * MB
    pdf_decoded_bytes: int = 32 * MB
    pdf_pages: int = 300
    pdf_seconds: float = 20.0
    # Characters one PDF page may draw (a dense page has a few thousand), and nesting of saved
    # graphics states (q … Q) the interpreter keeps.
    pdf_page_chars: int = 50_000
    pdf_graphics_depth: int = 64
    # Ruling lines and shapes one page may draw (a calendar table has a few hundred), forms drawn
    # inside forms, and cells of the tables on one page (a calendar has some hundreds).
    pdf_page_paths: int = 5_000
    pdf_form_depth: int = 12
    pdf_table_cells: int = 2_000
    # Extracted text of any file.
    text_chars: int = MAX_TEXT_CHARS
    # A .doc or .wps: the file LibreOffice converts, and the time it may take (its first start
    # with a fresh profile takes a few seconds).
    word97_bytes: int = 20 * MB
    convert_seconds: float = 60.0
    # An OFD: its pages, the text objects of one page, and the time spent reading it.
    ofd_pages: int = 300
    ofd_page_objects: int = 20_000
    ofd_seconds: float = 20.0
    # A scan read by OCR: its pages and the time the engine may take for all of them.
    ocr_pages: int = 20
    ocr_seconds: float = 120.0


LIMITS = ReadLimits()


@dataclass(frozen=True)
class ReadText:
    """A file's text, and which of its lines (0-based) an OCR engine read off a scan: those
    may be wrong and the user is asked to check them."""

    text: str
    ocr_lines: tuple[int, ...] = ()


def read_document(data: bytes, suffix: str, *, limits: ReadLimits = LIMITS) -> str:
    return read_file(data, suffix, limits=limits).text


def read_file(data: bytes, suffix: str, *, limits: ReadLimits = LIMITS) -> ReadText:
    suffix = (suffix or ".txt").lower()
    if suffix in (".txt", ".text", ""):
        return ReadText(decode(data))
    if not data.strip():
        raise ParseError("empty")
    if suffix == ".docx":
        return ReadText(_read_docx(data, limits))
    if suffix == ".pdf":
        try:
            return ReadText(_read_pdf(data, limits))
        except ParseError as error:
            # Only a PDF that draws images is a scan worth reading by OCR.
            if error.code != "pdf_no_text" or b"/Image" not in data:
                raise
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(data, limits)
    if suffix in (".doc", ".wps"):
        from .word97 import convert_to_docx

        converted = convert_to_docx(data, suffix, max_bytes=limits.word97_bytes, seconds=limits.convert_seconds)
        return ReadText(_read_docx(converted, limits))
    if suffix == ".ofd":
        from .ofd import read_ofd

        return ReadText(read_ofd(data, limits))
    raise ParseError("unsupported_format", suffix=suffix)


def pdf_needs_ocr(data: bytes, *, limits: ReadLimits = LIMITS) -> bool:
    """A PDF without a text layer that draws images: read_file would recognise it by OCR."""
    if b"/Image" not in data:
        return False
    try:
        _read_pdf(data, limits)
    except ParseError as error:
        return error.code == "pdf_no_text"
    return False


def _size(limit: int) -> str:
    return f"{limit / MB:g} MB" if limit >= MB else f"{limit:,} bytes"


# --- .docx -------------------------------------------------------------------------------------

# A DTD or an entity declaration: OOXML never has one, and an entity may expand without end.
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 * MB


def check_office_zip(data: bytes, limits: ReadLimits = LIMITS) -> list[str]:
    """Refuses an Office file (a .docx or .xlsx: a zip of XML parts) that could hurt whoever
    unpacks it, and returns its members' names.

    First by what its zip directory declares, before anything is unpacked; then every member is
    inflated one bounded chunk at a time, counting the bytes it really holds: a member that
    unpacks to more than its directory entry says (a bomb with a lying directory, which zipfile
    would cut off at the declared size but Word would unpack whole), or does not match its
    checksum, is refused, and so is a DTD or an entity declaration in any part.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except DAMAGED_ZIP:
        raise ParseError("invalid_docx") from None
    if len(members) > limits.docx_parts:
        raise ParseError("too_many_parts", limit=f"{limits.docx_parts:,}")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.docx_part_bytes:
            raise ParseError("too_large", limit=_size(limits.docx_part_bytes))
        if total > limits.docx_unpacked_bytes:
            raise ParseError("too_large", limit=_size(limits.docx_unpacked_bytes))
        if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ParseError("invalid_docx")  # encrypted, or compressed as Word never does
    try:
        for member in members:
            _check_member(data, member)
    except DAMAGED_ZIP:
        raise ParseError("invalid_docx") from None
    return [member.filename for member in members]


def _check_member(data: bytes, member: zipfile.ZipInfo) -> None:
    """Inflates one member's stream to its real end (not to the declared size), at most one
    chunk past what the directory declares, scanning it for DTDs on the way."""
    size, crc, tail = 0, 0, b""
    for chunk in _member_chunks(data, member):
        size += len(chunk)
        if size > member.file_size:
            raise ParseError("invalid_docx")  # the directory understates what it unpacks to
        crc = zlib.crc32(chunk, crc)
        # UTF-16 XML hides the ASCII of <!DOCTYPE between zero bytes.
        window = tail + chunk.replace(b"\x00", b"")
        if _DTD.search(window):
            raise ParseError("unsafe_docx")
        tail = window[-16:]
    if size != member.file_size or crc != member.CRC:
        raise ParseError("invalid_docx")


def _member_chunks(data: bytes, member: zipfile.ZipInfo):
    # The member's data follows its local header (30 bytes, then its name and extra field).
    header = data[member.header_offset : member.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = member.header_offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + member.compress_size]
    if len(raw) < member.compress_size:
        raise zipfile.BadZipFile("member data cut short")
    if member.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(raw), _CHUNK):
            yield bytes(raw[at : at + _CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for at in range(0, len(raw), _CHUNK):
        pending = raw[at : at + _CHUNK]
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
    # Output the chunk limit held back after the last input.
    while not inflater.eof and (chunk := inflater.decompress(b"", _CHUNK)):
        yield chunk
    if not inflater.eof:
        raise zlib.error("the member's stream is cut short")


def _read_docx(data: bytes, limits: ReadLimits) -> str:
    check_office_zip(data, limits)
    import docx
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
        return _docx_text(document, limits)
    except ParseError:
        raise
    except (
        etree.LxmlError,
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        NotImplementedError,
        RecursionError,
    ):
        # Malformed XML (too deep, not well formed), a zip without Word's parts, or parts
        # python-docx cannot make sense of: all one to the user.
        raise ParseError("invalid_docx") from None
    except Exception:  # python-docx raises its own types (PackageNotFoundError, …) as well
        raise ParseError("invalid_docx") from None


def _docx_text(document, limits: ReadLimits) -> str:
    from docx.text.paragraph import Paragraph

    numbering = _WordNumbering(document)
    lines: list[str] = []
    size = 0

    def add(line: str) -> None:
        nonlocal size
        size += len(line) + 1
        if size > limits.text_chars:
            raise ParseError("too_long", limit=f"{limits.text_chars:,}")
        lines.append(line)

    def paragraph_text(p) -> str:
        paragraph = Paragraph(p, document)
        return numbering.label(paragraph) + paragraph.text

    # Body order matters: a quarterly calendar is a table between paragraphs.
    for block in _blocks(document.element.body):
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            add(paragraph_text(block))
        elif tag == "tbl":
            for line in _table_lines(block, paragraph_text):
                add(line)
    return "\n".join(lines)


def _blocks(body):
    """Paragraphs and tables in body order, also inside content controls (w:sdt)."""
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "sdt":
            content = block.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        else:
            yield block


def _table_lines(table, paragraph_text) -> list[str]:
    """A table as the parser reads one: rows of cells separated by |, a cell's paragraphs by
    CELL_BREAK, a cell merged with the one above by 〃. One column is plain paragraphs."""
    rows: list[list[str]] = []
    for tr in table.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            span, merged = 1, False
            if properties is not None:
                grid_span = properties.find(f"{_W}gridSpan")
                if grid_span is not None and (grid_span.get(f"{_W}val") or "").isdigit():
                    span = max(1, min(int(grid_span.get(f"{_W}val")), 64))
                v_merge = properties.find(f"{_W}vMerge")
                merged = v_merge is not None and v_merge.get(f"{_W}val") != "restart"
            if merged:
                text = DITTO
            else:
                paragraphs = (paragraph_text(p).strip() for p in tc.iter(f"{_W}p"))
                text = CELL_BREAK.join(p for p in paragraphs if p)
            # A cell spanning columns keeps its text in the first; the others are empty.
            cells += [_PIPES.sub("／", text)] + [""] * (span - 1)
        rows.append(cells)
    return grid_lines(rows)


_PIPES = re.compile(r"[|｜│┃]")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE_FORMATS = {
    "chineseCounting",
    "chineseCountingThousand",
    "chineseLegalSimplified",
    "ideographTraditional",
    "ideographDigital",
    "japaneseCounting",
    "taiwaneseCounting",
    "taiwaneseCountingThousand",
}


class _WordNumbering:
    """Word's automatic numbering (1. 一、 （一）) is not in a paragraph's text: rebuild its label."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError):
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                levels[_int(lvl.get(f"{_W}ilvl"), 0)] = (
                    _int(start.get(f"{_W}val"), 1) if start is not None else 1,
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                )
            self.levels[abstract.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            abstract = num.find(f"{_W}abstractNumId")
            if abstract is not None:
                self.abstract_of[num.get(f"{_W}numId")] = abstract.get(f"{_W}val")

    @staticmethod
    def _num_pr(paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
            ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
            return str(ppr.numPr.numId.val), ilvl
        style = paragraph.style
        seen = 0
        while style is not None and seen < 32:  # a style based on itself must not loop
            ppr = style.element.pPr
            if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
                ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
                return str(ppr.numPr.numId.val), ilvl
            style, seen = style.base_style, seen + 1
        return None, 0

    def label(self, paragraph) -> str:
        num_id, ilvl = self._num_pr(paragraph)
        levels = self.levels.get(self.abstract_of.get(num_id or ""))
        if not levels or ilvl not in levels or not 0 <= ilvl < 9 or not paragraph.text.strip():
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        start, fmt, text = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        for level in range(ilvl + 1):
            level_start, level_fmt, _ = levels.get(level, (1, "decimal", ""))
            value = level_start + max(counters[level], 1) - 1
            text = text.replace(f"%{level + 1}", _format_number(value, level_fmt))
        return text


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _format_number(value: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return int_to_cn(value)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(0x245F + value)
    if fmt == "decimalFullWidth":
        return str(value).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)


# --- PDF ---------------------------------------------------------------------------------------


class _Budget:
    """What one PDF may still cost: bytes decoded from its streams, and time."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.decoded = 0
        self.deadline = time.monotonic() + limits.pdf_seconds
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if not self.ticks & 0x3FF and time.monotonic() > self.deadline:
            raise ParseError("too_slow", limit=f"{self.limits.pdf_seconds:g}")

    def take(self, size: int) -> None:
        self.decoded += size
        if self.decoded > self.limits.pdf_decoded_bytes:
            raise ParseError("too_large", limit=_size(self.limits.pdf_decoded_bytes))
        self.tick()


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("pdf_budget", default=None)


class _BoundedZlib:
    """pdfminer inflates a stream whole; while we read, it inflates within the budget."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return zlib.decompress(data, *args)
        inflater = _BoundedInflater(zlib.decompressobj(*args), budget)
        out = inflater.decompress(data)
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args, **kwargs):
        inflater = zlib.decompressobj(*args, **kwargs)
        budget = _BUDGET.get()
        return inflater if budget is None else _BoundedInflater(inflater, budget)


class _BoundedInflater:
    def __init__(self, inflater, budget: _Budget):
        self.inflater, self.budget = inflater, budget

    @property
    def eof(self) -> bool:
        return self.inflater.eof

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        chunks = []
        while True:
            chunk = self.inflater.decompress(data, _CHUNK)
            self.budget.take(len(chunk))
            chunks.append(chunk)
            data = self.inflater.unconsumed_tail
            if not data and (len(chunk) < _CHUNK or self.inflater.eof):
                return b"".join(chunks)

    def flush(self, *args) -> bytes:
        return self.decompress(b"")


def _bounded(decoder, ratio: int | None = None):
    """A stream decoder that respects the budget: checked on the way (a generator's pieces), or
    beforehand by the most it can expand (`ratio`); None decodes nothing (fax images hold no text)."""

    def decode(data: bytes, *args):
        budget = _BUDGET.get()
        if budget is None:
            return decoder(data, *args)
        if ratio is None:
            return b""
        budget.take(len(data) * ratio)
        return decoder(data, *args)

    return decode


def _lzw_bounded(original):
    def decode(data: bytes) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return original(data)
        from pdfminer.lzw import LZWDecoder

        chunks = []
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            budget.take(len(chunk))
            chunks.append(chunk)
        return b"".join(chunks)

    return decode


def _run_length(data: bytes) -> bytes:
    """RunLengthDecode within the budget (pdfminer's builds a list of ints of the whole)."""
    budget = _BUDGET.get()
    out, i = bytearray(), 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            piece = data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        if budget is not None:
            budget.take(len(piece))
        out += piece
    return bytes(out)


_installed = False


def _install_pdfminer_budget() -> None:
    """Once per process: pdfminer's decoders and PostScript tokenizer consult the budget of the
    read in progress. Outside our reads (no budget) they behave as pdfminer's own."""
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes
    from pdfminer.psparser import PSBaseParser

    pdftypes.zlib = _BoundedZlib
    pdftypes.lzwdecode = _lzw_bounded(pdftypes.lzwdecode)
    pdftypes.rldecode = _run_length
    pdftypes.ascii85decode = _bounded(pdftypes.ascii85decode, ratio=4)
    pdftypes.asciihexdecode = _bounded(pdftypes.asciihexdecode, ratio=1)
    pdftypes.ccittfaxdecode = _bounded(pdftypes.ccittfaxdecode)
    tokenize = PSBaseParser.nexttoken

    def nexttoken(self):
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        return tokenize(self)

    PSBaseParser.nexttoken = nexttoken
    _installed = True


class _BoundedText(io.StringIO):
    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.size = limit, 0

    def write(self, text: str) -> int:
        self.size += len(text)
        if self.size > self.limit:
            raise ParseError("too_long", limit=f"{self.limit:,}")
        return super().write(text)


def _read_pdf(data: bytes, limits: ReadLimits) -> str:
    if len(data) > limits.pdf_bytes:
        raise ParseError("too_large", limit=_size(limits.pdf_bytes))
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    _install_pdfminer_budget()

    class Converter(TextConverter):
        """Text of a page, refused when it draws more characters than a page holds."""

        chars = 0

        def begin_page(self, page, ctm):
            self.chars = self.paths = 0
            super().begin_page(page, ctm)

        def render_char(self, *args, **kwargs):
            self.chars += 1
            if self.chars > limits.pdf_page_chars:
                raise ParseError("too_long", limit=f"{limits.pdf_page_chars:,}")
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            # Ruling lines may make a table (read by pdf_tables); 100,000 of them are no notice.
            self.paths += 1
            if self.paths > limits.pdf_page_paths:
                raise ParseError("too_complex", limit=f"{limits.pdf_page_paths:,}")
            if not ruled:
                ruled.append(True)
            return super().paint_path(*args, **kwargs)

    class Interpreter(PDFPageInterpreter):
        depth = 0

        def do_q(self):
            # Saved states nest a few levels; q repeated a million times is not a page.
            if len(self.gstack) < limits.pdf_graphics_depth:
                super().do_q()
            else:
                if not too_deep:
                    too_deep.append(True)

        def dup(self):
            # A form drawn inside a form, and so on: a few levels in a real page.
            if self.depth >= limits.pdf_form_depth:
                raise ParseError("too_complex", limit=f"{limits.pdf_form_depth:,}")
            other = super().dup()
            other.depth = self.depth + 1
            return other

    out = _BoundedText(limits.text_chars)
    ruled: list[bool] = []
    too_deep: list[bool] = []
    budget = _Budget(limits)
    token = _BUDGET.set(budget)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        pages = []
        for page in PDFPage.create_pages(document):
            pages.append(page)
            if len(pages) > limits.pdf_pages:
                raise ParseError("too_many_pages", limit=f"{limits.pdf_pages:,}")
        resources = PDFResourceManager(caching=True)
        converter = Converter(resources, out, laparams=LAParams())
        interpreter = Interpreter(resources, converter)
        for page in pages:
            interpreter.process_page(page)
        converter.close()
        if ruled and too_deep:
            # The table reader's interpreter keeps every saved state: nested deeper than a page
            # does, the page is refused rather than read twice.
            raise ParseError("too_complex", limit=f"{limits.pdf_graphics_depth:,}")
        if ruled:
            # Pages with ruling lines may hold tables: read again as rows of cells, within the
            # same time and with the streams' bytes counted afresh.
            budget.decoded = 0
            lines = ruled_lines(data, max_cells=limits.pdf_table_cells)
            if lines is not None:
                out = _BoundedText(limits.text_chars)
                out.write("\n".join(lines))
    except ParseError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ParseError("pdf_encrypted") from None
    except Exception:  # pdfminer raises many types of its own (and KeyError, …) for damaged files
        raise ParseError("invalid_pdf") from None
    finally:
        _BUDGET.reset(token)
    text = out.getvalue()
    if not text.strip():
        raise ParseError("pdf_no_text")
    return text
