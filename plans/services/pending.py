"""Uploads waiting between a preview and its confirmation (a notice, an Excel sheet).

The file waits in storage under a random name; the signed token the preview hands out names it
and its checksum, so the confirmation reads back exactly what was previewed. Files of previews
nobody confirmed go once their token could no longer be valid.
"""

import datetime
import hashlib
import json
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from plans.parsing.readers import ReadText

# A scan's recognised text, kept beside the waiting file by the job that read it, so that the
# preview and the confirmation parse that text instead of recognising the pages again.
READ_SUFFIX = ".read.json"


def pending_save(*, folder: str, data: bytes, suffix: str, max_age: int) -> str:
    """Keep `data` until its preview is confirmed; returns its name in storage."""
    pending_cleanup(folder=folder, max_age=max_age)
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", ContentFile(data))


def pending_read(*, name: str, sha256: str) -> bytes | None:
    """The waiting file, if it is still there and is what was previewed."""
    try:
        with default_storage.open(name, "rb") as fh:
            data = fh.read()
    except (FileNotFoundError, OSError):
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def pending_delete(name: str) -> None:
    default_storage.delete(name)
    default_storage.delete(name + READ_SUFFIX)


def pending_text_save(*, name: str, sha256: str, read: ReadText) -> None:
    """Keep the text read from the waiting file `name` (whose checksum is `sha256`)."""
    payload = {"s": sha256, "text": read.text, "ocr_lines": list(read.ocr_lines)}
    default_storage.delete(name + READ_SUFFIX)
    default_storage.save(name + READ_SUFFIX, ContentFile(json.dumps(payload, ensure_ascii=False).encode()))


def pending_text_read(*, name: str, sha256: str) -> ReadText | None:
    """The text a job read from the waiting file, if it read that very file."""
    try:
        with default_storage.open(name + READ_SUFFIX, "rb") as fh:
            payload = json.loads(fh.read())
    except (FileNotFoundError, OSError, ValueError):
        return None
    if payload.get("s") != sha256:
        return None
    return ReadText(payload["text"], ocr_lines=tuple(payload["ocr_lines"]))


def pending_cleanup(*, folder: str, max_age: int) -> None:
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - datetime.timedelta(seconds=max_age)
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            pass
