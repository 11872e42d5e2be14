"""What the readers of one notice share while they read it."""

import datetime
from dataclasses import dataclass, field

from .messages import ParseWarning
from .places import Gazetteer
from .result import ParsedDocument

TXT, DOCX, PDF = "txt", "docx", "pdf"
SOURCE_FORMATS = (TXT, DOCX, PDF)
# Files whose text reaches the parser as another's: .doc and .wps converted to .docx; OFD, a
# scan's OCR, text placed by position on a page like a PDF's.
_READ_AS = {"doc": DOCX, "wps": DOCX, "ofd": PDF}


def source_format_of(value: str) -> str:
    """'.docx', 'DOCX' or 'docx' → 'docx'; anything unknown is read as extracted text."""
    value = (value or "").lower().lstrip(".")
    value = _READ_AS.get(value, value)
    return value if value in SOURCE_FORMATS else TXT


@dataclass
class ParseState:
    """The document being built, and the facts one reader leaves for another.

    The header reader finds the title and the announced attachments the body reader needs; the
    body and annex readers find the closing signature the header did not have.
    """

    doc: ParsedDocument
    gazetteer: Gazetteer | None = None
    scope_code: str = ""
    source_format: str = TXT
    # How tasks are numbered in this notice: item3 (1.), item4 ((1) ①), section2 ((一)), section1.
    task_level: str = "item3"
    # The plan title as its line reads, and an office named in it.
    title_line: str = ""
    title_office: str = ""
    # Titles the notice announces as attachments (附件：1.…工作要点 2.…时间安排表).
    attachments: list[str] = field(default_factory=list)
    imprint_date: datetime.date | None = None
    end_signature_office: str = ""
    end_signature_date: datetime.date | None = None
    # The running text the body ends with: a document cut short ends mid-sentence there.
    last_body_text: str = ""
    # The document's last line is a table row or a footer line: it ends where it should.
    ends_complete: bool = False

    @property
    def warnings(self) -> list[ParseWarning]:
        return self.doc.warnings

    def warn(self, code: str, **params) -> None:
        self.doc.warnings.append(ParseWarning(code, params))

    @property
    def has_page_debris(self) -> bool:
        """Text extracted from a PDF (and the .txt files made from one) carries page numbers,
        running headers and sentences broken over lines; a Word file's paragraphs do not."""
        return self.source_format != DOCX
