"""Scanned PDFs (pages that are images, no text layer) read by text recognition.

Measured on a scanned genre notice (150 dpi, tilted, speckled; tests/plans/parsing/genre): RapidOCR
(PP-OCR models on onnxruntime, CPU) read 99.4 % of the characters right, every county name among
them, in 8.5 s a page and 585 MB; Tesseract 5 chi_sim read 97.7 % in 2.6 s and 89 MB, but turned
南浔区 into 南浸区, 贯 into 货 and spread spaces through the text. A wrong county is a wrong target,
so RapidOCR is the engine (the `ocr` extra); Tesseract is used only where it is the one installed.

pdftoppm (poppler-utils) renders the pages; the engine runs in a child process of its own, in
its own process group, killed whole at the time limit, so that neither its time nor its memory
is the web worker's. Every line it returns is marked as read by OCR.
"""

import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .messages import ParseError

PAGE_PIXELS = 1800


def engine() -> str | None:
    """The text recognition engine installed here: "rapidocr", "tesseract" or None."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is not None:
        return "rapidocr"
    if shutil.which("tesseract") and _tesseract_has_chinese():
        return "tesseract"
    return None


def _tesseract_has_chinese() -> bool:
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "chi_sim" in listed.stdout.split()


# The last few scans read in this process, by their bytes' digest: confirming an import reads
# its file again (the preview's check, then the import), and recognition costs seconds a page.
_RECENT: dict[tuple, object] = {}
_RECENT_SIZE = 4


def read_scanned_pdf(data: bytes, limits):
    name = engine()
    if name is None or not shutil.which("pdftoppm"):
        raise ParseError("no_ocr")
    key = (hashlib.sha256(data).hexdigest(), name, limits.ocr_pages, limits.ocr_seconds, limits.text_chars)
    if key in _RECENT:
        return _RECENT[key]
    read = _read_scanned_pdf(data, limits, name)
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.pop(next(iter(_RECENT)))
    _RECENT[key] = read
    return read


def _read_scanned_pdf(data: bytes, limits, name: str):
    from .readers import ReadText

    with tempfile.TemporaryDirectory(prefix="sv-ocr-") as tmp:
        work = Path(tmp)
        (work / "scan.pdf").write_bytes(data)
        deadline = time.monotonic() + limits.ocr_seconds
        # One page more than allowed is rendered to tell a long scan from an allowed one.
        _run(
            [
                "pdftoppm",
                # The long side in pixels, not a resolution: a page that claims to be metres
                # wide is rendered no larger than an A4 page at about 150 dpi.
                "-scale-to",
                str(PAGE_PIXELS),
                "-gray",
                "-png",
                "-f",
                "1",
                "-l",
                str(limits.ocr_pages + 1),
                "scan.pdf",
                "page",
            ],
            work,
            deadline,
            limits.ocr_seconds,
        )
        pages = sorted(work.glob("page-*.png"))
        if len(pages) > limits.ocr_pages:
            raise ParseError("ocr_too_many_pages", limit=f"{limits.ocr_pages:,}")
        if not pages:
            raise ParseError("invalid_pdf")
        output = _run(
            [sys.executable, "-m", "plans.parsing.ocr", name, *(page.name for page in pages)],
            work,
            deadline,
            limits.ocr_seconds,
            pythonpath=str(Path(__file__).resolve().parents[2]),
        )
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    text = "\n".join(lines)
    if not text.strip():
        raise ParseError("ocr_no_text")
    if len(text) > limits.text_chars:
        raise ParseError("too_long", limit=f"{limits.text_chars:,}")
    return ReadText(text, ocr_lines=tuple(range(len(lines))))


def _run(command: list[str], cwd: Path, deadline: float, limit: float, pythonpath: str = "") -> bytes:
    """The command's output, stopped at `deadline` (time.monotonic()); `limit` is what it says."""
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        raise ParseError("ocr_too_slow", limit=f"{limit:g}")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "LANG": "C.UTF-8"}
    # One thread each: the server's cores are the web workers'.
    env.update(OMP_NUM_THREADS="1", OMP_THREAD_LIMIT="1", OPENBLAS_NUM_THREADS="1")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        raise ParseError("ocr_too_slow", limit=f"{limit:g}") from None
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
    if process.returncode != 0:
        raise ParseError("invalid_pdf")
    return output


# --- The child process --------------------------------------------------------------------------


def _rapidocr_lines(engine_, image: str) -> list[str]:
    """The boxes RapidOCR finds, ordered into lines: boxes whose vertical centres lie within
    half a box's height of each other are one line, left to right."""
    result, _ = engine_(image)
    boxes = []
    for points, text, _score in result or []:
        ys = [p[1] for p in points]
        boxes.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(p[0] for p in points), text))
    boxes.sort()
    lines: list[list[tuple]] = []
    for box in boxes:
        if lines and abs(box[0] - lines[-1][0][0]) <= max(box[1], lines[-1][0][1]) / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return ["    ".join(b[3] for b in sorted(line, key=lambda b: b[2])) for line in lines]


def _main(name: str, images: list[str]) -> None:
    if name == "rapidocr":
        from rapidocr_onnxruntime import RapidOCR

        engine_ = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
        for image in images:
            for line in _rapidocr_lines(engine_, image):
                print(line, flush=True)
    else:
        for image in images:
            text = subprocess.run(
                ["tesseract", image, "-", "-l", "chi_sim", "--psm", "3"], capture_output=True, check=True
            ).stdout.decode("utf-8", "replace")
            # Tesseract spaces out Chinese characters; the genre has no spaces between them.
            for line in text.splitlines():
                print(_close_spaces(line), flush=True)


def _close_spaces(line: str) -> str:
    out = []
    for i, char in enumerate(line):
        if char == " " and i and i + 1 < len(line) and (ord(line[i - 1]) > 0x2E7F or ord(line[i + 1]) > 0x2E7F):
            continue
        out.append(char)
    return "".join(out).strip()


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2:])
