"""Files built for the parser's tests: minimal PDFs (Chinese text through an identity CMap, many
pages, inflating streams) and .docx zips with a chosen member, all without a PDF or Word library
beyond python-docx."""

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (1 is the catalog), with offsets computed so that readers accept it."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, attributes: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), attributes) + data + b"\nendstream"


# Chinese text needs a CID font; codes are the characters' own code points, and the ToUnicode
# CMap says so, so that a reader gets the text back without any font file.
IDENTITY_CMAP = (
    b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Identity-UCS def "
    b"/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange "
    b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
    b"CMapName currentdict /CMap defineresource pop end end"
)
CJK_FONT = [
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
    b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /FontDescriptor 8 0 R "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    stream(IDENTITY_CMAP),
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
]


def cjk_pdf(lines: list[tuple[int, int, str]]) -> bytes:
    """One A4 page drawing each (x, y, text): columns are texts at the same y."""
    content = b"\n".join(
        b"BT /F1 11 Tf 1 0 0 1 %d %d Tm <%s> Tj ET" % (x, y, "".join(f"{ord(c):04X}" for c in text).encode())
        for x, y, text in lines
    )
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content),
            *CJK_FONT,
        ]
    )


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def one_page_pdf(content: bytes, attributes: bytes = b"") -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(content, attributes),
            HELVETICA,
        ]
    )


def many_pages_pdf(count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (number + 3) for number in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
    return pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)]
        + [page] * count
    )


def inflating_pdf(size: int) -> bytes:
    """A page whose content stream inflates to `size` bytes of spaces (compressed a thousandfold),
    built a megabyte at a time."""
    compressor, chunk = zlib.compressobj(9), b" " * MB
    data = b"".join(compressor.compress(chunk) for _ in range(size // MB)) + compressor.flush()
    return one_page_pdf(data, b"/Filter /FlateDecode")


def small_docx(text: str = "2022年某县教育督导工作要点") -> bytes:
    """A valid one-paragraph Word file, the base the hostile variants are built from."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_of_a_later_version(base: bytes, version: int = 64) -> bytes:
    """`base` with every member's central directory entry asking for zip version `version`
    (6.4): Python's zipfile refuses to open it with NotImplementedError."""
    out = bytearray(base)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        out[at + 6 : at + 8] = struct.pack("<H", version)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def docx_with(base: bytes, name: str, payload: bytes) -> bytes:
    """`base` with member `name` replaced by `payload`."""
    source, out = zipfile.ZipFile(io.BytesIO(base)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, payload if info.filename == name else source.read(info))
    return out.getvalue()


def docx_bomb(base: bytes, size: int) -> bytes:
    """`base` whose document.xml unpacks to `size` bytes of zeros, written a megabyte at a time so
    that building it stays small."""
    source, out = zipfile.ZipFile(io.BytesIO(base)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, source.read(info))
        member = zipfile.ZipInfo("word/document.xml")
        member.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(member, "w", force_zip64=True) as target:
            chunk = b"0" * MB
            for _ in range(size // MB):
                target.write(chunk)
    return out.getvalue()


def docx_understating(base: bytes, size: int) -> bytes:
    """`base` whose document.xml holds `size` bytes of zeros but whose zip directory says it holds
    a kilobyte: a reader that trusts the directory must still stop there."""
    data = bytearray(docx_bomb(base, size))
    # A central directory entry: its signature; the uncompressed size at 24, the name at 46.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 1024)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError("no document.xml")
