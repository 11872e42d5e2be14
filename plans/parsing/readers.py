"""Text out of the file types notices come in: plain text, Word (.docx) and text PDFs."""
import io
import zipfile

from .messages import ParseError
from .numerals import int_to_cn
from .text import decode

SUPPORTED = (".txt", ".docx", ".pdf")


def read_document(data: bytes, suffix: str) -> str:
    suffix = (suffix or ".txt").lower()
    if suffix in (".txt", ".text", ""):
        return decode(data)
    if not data.strip():
        raise ParseError("empty")
    if suffix == ".docx":
        return _read_docx(data)
    if suffix == ".pdf":
        return _read_pdf(data)
    raise ParseError("unsupported_format", suffix=suffix)


def _read_docx(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError("unreadable_file", suffix=".docx", reason=type(exc).__name__) from None
    numbering = _WordNumbering(document)
    lines = []
    # Body order matters: a quarterly calendar is a table between paragraphs.
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(block, document)
            lines.append(numbering.label(paragraph) + paragraph.text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                seen = []
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is returned once per grid column
                        continue
                    seen.append(cell._tc)
                    lines.extend(numbering.label(p) + p.text for p in cell.paragraphs)
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE_FORMATS = {
    "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
    "ideographDigital", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand",
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
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    int(start.get(f"{_W}val")) if start is not None else 1,
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
        while style is not None:
            ppr = style.element.pPr
            if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
                ilvl = ppr.numPr.ilvl.val if ppr.numPr.ilvl is not None else 0
                return str(ppr.numPr.numId.val), ilvl
            style = style.base_style
        return None, 0

    def label(self, paragraph) -> str:
        num_id, ilvl = self._num_pr(paragraph)
        levels = self.levels.get(self.abstract_of.get(num_id or ""))
        if not levels or ilvl not in levels or not paragraph.text.strip():
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


def _read_pdf(data: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        text = extract_text(io.BytesIO(data))
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise ParseError("unreadable_file", suffix=".pdf", reason=type(exc).__name__) from None
    except Exception as exc:  # pdfminer raises many private error types for damaged files
        raise ParseError("unreadable_file", suffix=".pdf", reason=type(exc).__name__) from None
    if not text.strip():
        raise ParseError("unreadable_file", suffix=".pdf", reason="no text layer")
    return text
