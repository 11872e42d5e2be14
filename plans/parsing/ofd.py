"""OFD (GB/T 33190-2016), the national format of official electronic documents: a zip of XML.

OFD.xml names each document's root (DocBody/DocRoot → Doc_0/Document.xml), which lists its pages
(Pages/Page BaseLoc → Pages/Page_0/Content.xml). A page draws text as TextObjects: a Boundary
("x y w h", millimetres from the page's top left), and TextCodes whose X/Y place the first glyph
within it and whose DeltaX gives the advances of the next ("g 5 4.2" is 4.2 five times). Writers
put objects in any order, a line often in several, so the text is ordered here by position into
lines as a PDF's is, and the parser then reads it as PDF text.

An upload is untrusted: the zip passes the Word checks (members, unpacked sizes, no DTD or entity
declaration in any part), the XML is parsed without entities, DTDs or network, one element at a
time, and pages, text objects per page, characters and time are counted as they are read.
"""

import io
import posixpath
import time
import zipfile

from .messages import ParseError

# Codes check_office_zip gives a .docx, as said of an OFD.
_ZIP_CODES = {"invalid_docx": "invalid_ofd", "unsafe_docx": "unsafe_ofd", "too_many_parts": "ofd_too_many_parts"}


def read_ofd(data: bytes, limits) -> str:
    from .readers import DAMAGED_ZIP, check_office_zip

    try:
        names = set(check_office_zip(data, limits))
    except ParseError as error:
        if error.code in _ZIP_CODES:
            raise ParseError(_ZIP_CODES[error.code], **error.params) from None
        raise
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return _Reader(archive, names, limits).text()
    except ParseError:
        raise
    except DAMAGED_ZIP:
        raise ParseError("invalid_ofd") from None
    except Exception:  # lxml's syntax errors, a missing part, numbers that are not numbers
        raise ParseError("invalid_ofd") from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, names: set[str], limits):
        self.archive, self.names, self.limits = archive, names, limits
        self.deadline = time.monotonic() + limits.ofd_seconds
        self.chars = 0

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ParseError("ofd_too_slow", limit=f"{self.limits.ofd_seconds:g}")

    def _path(self, base_dir: str, location: str) -> str:
        """A part named in another: relative to that part's folder, or from the package root."""
        location = (location or "").strip().replace("\\", "/")
        path = posixpath.normpath(
            location.lstrip("/") if location.startswith("/") else posixpath.join(base_dir, location)
        )
        if path.startswith("../") or path == ".." or path not in self.names:
            raise ParseError("invalid_ofd")
        return path

    def _elements(self, path: str):
        """(event, element) of a part, parsed safely as each element ends; the caller clears."""
        from lxml import etree

        with self.archive.open(path) as stream:
            yield from etree.iterparse(
                stream,
                events=("end",),
                resolve_entities=False,
                load_dtd=False,
                no_network=True,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )

    def _first_text(self, path: str, name: str) -> str:
        for event, element in self._elements(path):
            if event == "end" and _local(element.tag) == name:
                return (element.text or "").strip()
        return ""

    def text(self) -> str:
        if "OFD.xml" not in self.names:
            raise ParseError("invalid_ofd")
        root = self._path("", self._first_text("OFD.xml", "DocRoot"))
        pages = []
        for event, element in self._elements(root):
            if event == "end" and _local(element.tag) == "Page":
                pages.append(self._path(posixpath.dirname(root), element.get("BaseLoc", "")))
                if len(pages) > self.limits.ofd_pages:
                    raise ParseError("ofd_too_many_pages", limit=f"{self.limits.ofd_pages:,}")
                element.clear()
        if not pages:
            raise ParseError("invalid_ofd")
        lines: list[str] = []
        for page in pages:
            lines.extend(_lines(self._spans(page)))
        text = "\n".join(lines)
        if not text.strip():
            raise ParseError("invalid_ofd")
        return text

    def _spans(self, page: str) -> list[tuple[float, float, float, float, str]]:
        """The page's runs of text as (baseline y, x, end x, size, text)."""
        spans = []
        objects = 0
        for event, element in self._elements(page):
            if event != "end" or _local(element.tag) != "TextObject":
                continue
            objects += 1
            if objects > self.limits.ofd_page_objects:
                raise ParseError("ofd_too_many_objects", limit=f"{self.limits.ofd_page_objects:,}")
            if not objects & 0xFF:
                self._check_time()
            spans.extend(self._object_spans(element))
            element.clear()
            # Drop the elements already read, so that a page's memory stays that of one object.
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
        self._check_time()
        return spans

    def _object_spans(self, element) -> list[tuple[float, float, float, float, str]]:
        left, top = _numbers(element.get("Boundary", ""), 2) or (0.0, 0.0)
        size = (_numbers(element.get("Size", ""), 1) or (3.5,))[0]
        spans = []
        x = y = 0.0
        for code in element:
            if _local(code.tag) != "TextCode":
                continue
            text = (code.text or "").replace("\r", "").replace("\n", "")
            if not text:
                continue
            self.chars += len(text)
            if self.chars > self.limits.text_chars:
                raise ParseError("too_long", limit=f"{self.limits.text_chars:,}")
            # A code without X or Y goes on from where the one before ended.
            if code.get("X") is not None:
                x = (_numbers(code.get("X"), 1) or (0.0,))[0]
            if code.get("Y") is not None:
                y = (_numbers(code.get("Y"), 1) or (0.0,))[0]
            advances = _delta(code.get("DeltaX", ""), len(text) - 1, size)
            width = sum(advances) + size
            spans.append((top + y, left + x, left + x + width, size, text))
            x += width
        return spans


def _numbers(value: str, count: int) -> tuple[float, ...] | None:
    parts = (value or "").split()
    if len(parts) < count:
        return None
    try:
        return tuple(float(part) for part in parts[:count])
    except ValueError:
        return None


def _delta(value: str, count: int, size: float) -> list[float]:
    """The `count` advances a DeltaX gives ("4.2 4.2" or "g 2 4.2"); missing ones are a glyph's
    size. At most `count` are taken, whatever a repeat claims."""
    advances: list[float] = []
    parts = (value or "").split()
    at = 0
    while at < len(parts) and len(advances) < count:
        if parts[at] == "g" and at + 2 < len(parts):
            try:
                repeat, advance = int(parts[at + 1]), float(parts[at + 2])
            except ValueError:
                break
            advances.extend([advance] * max(0, min(repeat, count - len(advances))))
            at += 3
        else:
            try:
                advances.append(float(parts[at]))
            except ValueError:
                break
            at += 1
    advances.extend([size] * (count - len(advances)))
    return advances


def _lines(spans: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Runs on one baseline (within half a glyph) make a line, left to right; a gap wider than
    two glyphs between runs (a table's columns) is kept as spaces."""
    lines: list[str] = []
    current: list[tuple[float, float, float, float, str]] = []
    baseline = None
    for span in sorted(spans, key=lambda s: (s[0], s[1])):
        if baseline is not None and abs(span[0] - baseline) > span[3] / 2:
            lines.append(_join(current))
            current = []
        if not current:
            baseline = span[0]
        current.append(span)
    if current:
        lines.append(_join(current))
    return [line for line in lines if line.strip()]


def _join(spans) -> str:
    spans = sorted(spans, key=lambda s: s[1])
    out, end = [], None
    for _y, x, x_end, size, text in spans:
        if end is not None and x - end > 2 * size:
            out.append("    ")
        out.append(text)
        end = x_end
    return "".join(out)
