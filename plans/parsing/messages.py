"""What the parser tells its user, as English message ids the Django layer translates.

The parser has no Django import; `N_` only marks the strings for makemessages.
"""

from dataclasses import dataclass, field


def N_(message: str) -> str:
    return message


ERRORS = {
    "empty": N_("The file is empty."),
    "binary": N_("The file is not a text document (it looks like binary data)."),
    "encoding": N_("The file's text encoding is not recognised; save it as UTF-8 or GB18030."),
    "truncated": N_("The document is incomplete: it breaks off in the middle (%(excerpt)s)."),
    "not_workpoints": N_("This is not a work-points document: no numbered tasks or sections were found."),
    "unsupported_format": N_("Unsupported file type %(suffix)s: use .txt, .docx, .doc, .wps, .ofd or a PDF."),
    "unreadable_file": N_("The file could not be read as %(suffix)s: %(reason)s"),
    "invalid_docx": N_("The file is not a valid Word document (.docx)."),
    "unsafe_docx": N_(
        "The Word document declares a DTD or entities, which .docx files never contain; it was not read."
    ),
    "invalid_pdf": N_("The file is not a valid PDF document."),
    "pdf_encrypted": N_("The PDF is protected by a password; save it without one and upload it again."),
    "pdf_no_text": N_("The PDF has no text layer (it is probably a scan); upload the Word file or a text PDF."),
    "too_large": N_("The file is too large: unpacked, it is larger than %(limit)s."),
    "too_many_parts": N_("The Word document has more than %(limit)s parts; it is not a notice."),
    "too_many_pages": N_("The PDF has more than %(limit)s pages; it is not a notice."),
    "too_long": N_("The document's text is longer than %(limit)s characters; it is not a notice."),
    "too_slow": N_("Reading the PDF took longer than %(limit)s seconds and was stopped."),
    "no_libreoffice": N_(
        "LibreOffice is not installed on the server, so .doc/.wps files cannot be read; "
        "save the file as .docx or PDF and upload it again."
    ),
    "invalid_word97": N_("The file is not a valid Word 97–2003 or WPS document (%(suffix)s)."),
    "too_slow_convert": N_("Converting the document took longer than %(limit)s seconds and was stopped."),
    "invalid_ofd": N_("The file is not a valid OFD document."),
    "unsafe_ofd": N_("The OFD document declares a DTD or entities, which OFD files never contain; it was not read."),
    "ofd_too_many_parts": N_("The OFD document has more than %(limit)s parts; it is not a notice."),
    "ofd_too_many_pages": N_("The OFD document has more than %(limit)s pages; it is not a notice."),
    "ofd_too_many_objects": N_("An OFD page draws more than %(limit)s text objects; it is not a notice."),
    "ofd_too_slow": N_("Reading the OFD document took longer than %(limit)s seconds and was stopped."),
    "no_ocr": N_(
        "The PDF has no text layer (it is probably a scan) and no text recognition engine is installed on "
        "the server; upload the Word file or a text PDF."
    ),
    "ocr_too_many_pages": N_(
        "The scanned PDF has more than %(limit)s pages; text recognition reads at most that many."
    ),
    "ocr_too_slow": N_("Text recognition took longer than %(limit)s seconds and was stopped."),
    "ocr_no_text": N_("Text recognition found no text in the scanned PDF."),
    "invalid_zip": N_("The file is not a valid .zip archive (or its members are encrypted)."),
    "zip_empty": N_("The .zip archive holds no files."),
    "zip_too_many_files": N_("The .zip archive holds more than %(limit)s files; import at most that many at once."),
    "zip_member_too_large": N_("“%(name)s” in the .zip archive is larger than %(limit)s unpacked."),
    "zip_unsafe_path": N_("“%(name)s” in the .zip archive points outside the archive; the archive was not read."),
    "zip_nested": N_("“%(name)s” is an archive inside the .zip archive; unpack it and upload its files."),
    "too_complex": N_(
        "A page of the PDF is too complex for a notice: it draws more than %(limit)s lines, table cells or nested drawings."
    ),
}

WARNINGS = {
    "page_debris": N_("Removed %(count)d page-number line(s)."),
    "repeated_header": N_("Removed a running header repeated %(count)d times: “%(excerpt)s”."),
    "duplicate_char": N_("Line %(line)d: merged a character repeated across a page break (“%(excerpt)s”)."),
    "numbering_gap": N_("Task numbers are not consecutive (%(numbers)s); tasks were renumbered in order."),
    "unknown_line": N_("Line %(line)d was not recognised and was kept with %(target)s: “%(excerpt)s”."),
    "unparsed_period": N_(
        "Line %(line)d: a calendar item without a recognisable period was kept with %(target)s: “%(excerpt)s”."
    ),
    "no_office": N_("The issuing office could not be found in the document."),
    "unknown_region": N_("The region of “%(office)s” is not in the division table; counties were not matched."),
    "no_issue_date": N_("No issue date was found."),
    "no_plan_year": N_("No plan year was found in the title or the date; the issue year is assumed."),
    "long_title": N_("Task %(number)d: the lead sentence is long; its title was shortened."),
    "entry_before_period": N_(
        "Line %(line)d: a schedule item comes before any period heading and was kept with %(target)s."
    ),
    "unconfirmed_place": N_(
        "“%(name)s” looks like a functional zone but is not in the zone table; it is kept as an unconfirmed target."
    ),
}


@dataclass(frozen=True)
class ParseWarning:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return WARNINGS[self.code]

    def render(self, translate=lambda s: s) -> str:
        params = dict(self.params)
        if "target" in params:
            # Where the text was kept is itself a message: "task %(label)s", "the notes".
            params["target"] = translate(params["target"]) % params
        return translate(self.template) % params


TARGETS = {
    "task": N_("task %(label)s"),
    "preamble": N_("the preamble"),
    "notes": N_("the notes"),
    "notice": N_("the notice text"),
}


class ParseError(Exception):
    """The one error the parser raises: the input is not a readable work-points document."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(self.render())

    @property
    def template(self) -> str:
        return ERRORS[self.code]

    def render(self, translate=lambda s: s) -> str:
        return translate(self.template) % self.params
