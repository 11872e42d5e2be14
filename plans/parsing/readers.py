"""Text out of the file types notices come in: plain text, Word (.docx) and text PDFs."""
import io
import zipfile

from .messages import ParseError
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
    lines = []
    # Body order matters: a quarterly calendar is a table between paragraphs.
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                seen = []
                for cell in row.cells:
                    if cell.text not in seen:  # merged cells repeat their text
                        seen.append(cell.text)
                lines.extend(seen)
    return "\n".join(lines)


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
