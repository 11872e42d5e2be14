"""A .zip of notices is read within limits, and an archive that names a place outside itself,
holds another archive or unpacks to more than it says is refused with the reason."""

import io
import zipfile

import pytest

from plans.parsing import ParseError
from plans.parsing.archive import ArchiveLimits, read_archive
from tests.plans.parsing.documents import MB, docx_understating, small_docx

LIMITS = ArchiveLimits(members=5, member_bytes=1 * MB, total_bytes=2 * MB)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def gbk_named_zip(name: str, data: bytes) -> bytes:
    """A zip as a Chinese Windows writes it: the name in GBK, without the UTF-8 flag (written
    under an ASCII name of the same length, then renamed in place)."""
    encoded = name.encode("gbk")
    placeholder = b"N" * len(encoded)
    archive = zip_of({placeholder.decode(): data})
    assert archive.count(placeholder) == 2  # the local header and the directory entry
    return archive.replace(placeholder, encoded)


def test_the_files_are_read_in_the_archives_order_without_folders_and_clutter():
    data = zip_of(
        {
            "2020/": b"",
            "2020/镇教督〔2020〕2号.txt": "通知".encode(),
            "__MACOSX/2020/._x.txt": b"\x00",
            "Thumbs.db": b"\x00",
            "a.docx": small_docx(),
        }
    )
    members = read_archive(data, LIMITS)
    assert [m.name for m in members] == ["2020/镇教督〔2020〕2号.txt", "a.docx"]
    assert members[0].data == "通知".encode() and members[1].suffix == ".docx"


def test_a_name_written_by_a_chinese_windows_is_read_as_gbk():
    data = gbk_named_zip("镇江市工作要点.txt", b"x")
    assert [m.name for m in read_archive(data, LIMITS)] == ["镇江市工作要点.txt"]


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd.txt", "a/../../b.txt", "C:/x.txt", "..\\x.txt"])
def test_a_member_pointing_outside_the_archive_refuses_it(name):
    with pytest.raises(ParseError) as refused:
        read_archive(zip_of({"ok.txt": b"x", name: b"y"}), LIMITS)
    assert refused.value.code == "zip_unsafe_path"


def test_an_archive_inside_the_archive_is_refused_also_under_another_name():
    inner = zip_of({"a.txt": b"x"})
    for name in ("inner.zip", "inner.txt"):
        with pytest.raises(ParseError) as refused:
            read_archive(zip_of({"ok.txt": b"x", name: inner}), LIMITS)
        assert refused.value.code == "zip_nested"
        assert name in refused.value.render()


def test_too_many_files_or_too_many_bytes_are_refused_before_anything_is_unpacked():
    with pytest.raises(ParseError) as refused:
        read_archive(zip_of({f"{n}.txt": b"x" for n in range(6)}), LIMITS)
    assert refused.value.code == "zip_too_many_files"
    with pytest.raises(ParseError) as refused:
        read_archive(zip_of({"big.txt": b"0" * (MB + 1)}), LIMITS)
    assert refused.value.code == "zip_member_too_large"
    with pytest.raises(ParseError) as refused:
        read_archive(zip_of({f"{n}.txt": b"0" * (MB - 1) for n in range(3)}), LIMITS)
    assert refused.value.code == "too_large"


def test_a_member_that_unpacks_to_more_than_its_directory_says_is_refused():
    # A .docx is itself a zip: its document.xml declared as a kilobyte holds a megabyte and more.
    lying = docx_understating(small_docx(), 2 * MB)
    with pytest.raises(ParseError) as refused:
        read_archive(lying, ArchiveLimits(members=50, member_bytes=1 * MB, total_bytes=2 * MB))
    assert refused.value.code == "invalid_zip"


def test_a_damaged_or_empty_archive_is_refused():
    with pytest.raises(ParseError) as refused:
        read_archive(b"PK\x03\x04 not a zip", LIMITS)
    assert refused.value.code == "invalid_zip"
    with pytest.raises(ParseError) as refused:
        read_archive(zip_of({"folder/": b""}), LIMITS)
    assert refused.value.code == "zip_empty"
