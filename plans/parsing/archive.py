"""The notices in a .zip an office brings its archive in: each member's name and bytes.

A .zip from outside is untrusted as a .docx is (plans.parsing.readers.check_office_zip), and the
same rules hold: what its directory declares is checked before anything is unpacked (how many
files, how large each and all together), then every member is inflated one bounded chunk at a
time to its real end, so a member that unpacks to more than its directory entry says, or does
not match its checksum, is refused. And as an archive it must not name a place outside itself
(an absolute path, a drive, ".."), nor hold another archive: one level is all an upload is read.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .messages import ParseError
from .readers import DAMAGED_ZIP, _member_chunks, _size

# What an archiving tool adds beside the files (macOS resource forks, Windows thumbnails).
_CLUTTER = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
# Archives inside the archive: never unpacked.
_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
# The UTF-8 flag of a member's name (general purpose bit 11); without it, the name is in the
# code page of the machine that made the archive: GBK for a zip made on a Chinese Windows.
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class ArchiveLimits:
    members: int
    member_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class ArchiveMember:
    # The member's path inside the archive ("2020/镇教督〔2020〕2号.docx").
    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


def _member_name(member: zipfile.ZipInfo) -> str:
    name = member.filename
    if not member.flag_bits & _UTF8_NAME:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name.replace("\\", "/")


def _check_path(name: str) -> None:
    if name.startswith("/") or _DRIVE.match(name) or ".." in PurePosixPath(name).parts:
        raise ParseError("zip_unsafe_path", name=name[:80])


def read_archive(data: bytes, limits: ArchiveLimits) -> list[ArchiveMember]:
    """The files of a .zip (folders and archivers' clutter left out), in the archive's order;
    ParseError when the archive is damaged or breaks a rule above."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except DAMAGED_ZIP:
        raise ParseError("invalid_zip") from None
    members: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        name = _member_name(info)
        _check_path(name)
        if info.is_dir() or _CLUTTER.search(name):
            continue
        members.append((name, info))
    if not members:
        raise ParseError("zip_empty")
    if len(members) > limits.members:
        raise ParseError("zip_too_many_files", limit=limits.members)
    total = 0
    for name, info in members:
        if PurePosixPath(name).suffix.lower() in _ARCHIVES:
            raise ParseError("zip_nested", name=name[:80])
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ParseError("invalid_zip")  # encrypted, or compressed in a way not read here
        if info.file_size > limits.member_bytes:
            raise ParseError("zip_member_too_large", name=name[:80], limit=_size(limits.member_bytes))
        total += info.file_size
        if total > limits.total_bytes:
            raise ParseError("too_large", limit=_size(limits.total_bytes))
    try:
        return [ArchiveMember(name, _inflate(data, info)) for name, info in members]
    except DAMAGED_ZIP:
        raise ParseError("invalid_zip") from None


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than one chunk past what its directory entry declares."""
    chunks, size, crc = [], 0, 0
    for chunk in _member_chunks(data, info):
        size += len(chunk)
        if size > info.file_size:
            raise ParseError("invalid_zip")  # the directory understates what it unpacks to
        crc = zlib.crc32(chunk, crc)
        chunks.append(chunk)
    if size != info.file_size or crc != info.CRC:
        raise ParseError("invalid_zip")
    payload = b"".join(chunks)
    if payload[:4] == b"PK\x03\x04" and PurePosixPath(info.filename).suffix.lower() not in (".docx", ".ofd"):
        # An archive under another name is an archive all the same.
        raise ParseError("zip_nested", name=_member_name(info)[:80])
    return payload
