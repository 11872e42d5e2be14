"""Word 97–2003 (.doc) and WPS Writer (.wps) files, converted to .docx by LibreOffice.

Both are OLE compound files of Word's binary format (WPS Writer writes the same format under its
own suffix), which no maintained pure-Python library reads. LibreOffice does, headless, when the
server has it (Debian: libreoffice-writer-nogui). The conversion runs in a temporary directory
with a profile of its own (two conversions at once must not share one), within a time limit after
which its whole process group is killed; its output is then read as any uploaded .docx, under the
same limits.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .messages import ParseError

# An OLE compound file's signature: .doc and WPS Writer's .wps both start with it.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# LibreOffice's filter for Word's binary format; named, so that a .wps is not taken for a
# Microsoft Works file (a different format that shares the suffix).
_IMPORT_FILTER = "MS Word 97"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str, *, max_bytes: int, seconds: float) -> bytes:
    """The .docx LibreOffice makes of a .doc or .wps file's bytes."""
    if len(data) > max_bytes:
        raise ParseError("too_large", limit=f"{max_bytes / (1024 * 1024):g} MB")
    if not data.startswith(OLE_MAGIC):
        raise ParseError("invalid_word97", suffix=suffix)
    program = soffice_path()
    if program is None:
        raise ParseError("no_libreoffice")
    with tempfile.TemporaryDirectory(prefix="sv-word97-") as tmp:
        work = Path(tmp)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        out = work / "out"
        out.mkdir()
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--infilter={_IMPORT_FILTER}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, work, seconds)
        produced = out / "document.docx"
        if not produced.is_file():
            # LibreOffice reports a file it cannot load on stderr and exits 0, writing nothing.
            raise ParseError("invalid_word97", suffix=suffix)
        return produced.read_bytes()


def _run(command: list[str], cwd: Path, seconds: float) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "LANG": "C.UTF-8",
        "TMPDIR": str(cwd),
        "SAL_USE_VCLPLUGIN": "svp",
    }
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, which the time limit kills whole
    )
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ParseError("too_slow_convert", limit=f"{seconds:g}") from None
    finally:
        # soffice.bin may outlive the launcher script; nothing of the conversion stays behind.
        _kill_group(process)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
