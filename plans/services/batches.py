"""Many notices imported in one run: the `import_workpoints` command on the server and the batch
import job of the browser (plans.job_kinds) go through work_plans_import, so a notice imported
either way is the same plan, refused for the same reasons and recorded the same way.

Several files a transaction, each in a savepoint of its own (work_plan_import's atomic block):
a file that fails is rolled back alone and reported, the others of the batch are committed
together, and what they tell the counties is announced once for the run.
"""

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext

from audit.services import action_logs_announced_together
from jobs.models import Job
from jobs.services import job_start
from organisation.models import Office
from plans.services.bulk import tables_analyze
from plans.services.imports import IMPORT_MODELS, ImportResult, work_plan_import, work_plan_needs_ocr
from plans.services.pending import pending_save

logger = logging.getLogger(__name__)

# The job kind (plans.job_kinds.import_batch), and where its files wait for it: a day, as an
# upload waits for its preview's confirmation.
IMPORT_BATCH = "plans.import_batch"
BATCH_DIR = "imports/batch"
BATCH_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class NoticeFile:
    """A file to import: its name (whose suffix says how to read it) and how to get its bytes
    (raising OSError when it cannot be read, returning None when it is gone)."""

    name: str
    read: Callable[[], bytes | None]
    # Where the file stands in what the user gave (a job resumed imports only the rest).
    position: int = 0
    # What work_plan_parse gave for its bytes, when another process parsed it (import_workpoints
    # --jobs): not parsed again.
    parsed: tuple | None = None


@dataclass
class FileOutcome:
    file: NoticeFile
    result: ImportResult | None = None
    # Why the file was refused, in the user's language; empty when it was imported.
    error: str = ""

    @property
    def refused(self) -> bool:
        return self.result is None


def work_plans_import(
    *,
    files: Sequence[NoticeFile],
    office: Office | None = None,
    acting_user=None,
    replace: bool = False,
    publish: bool = False,
    dry_run: bool = False,
    create_office: bool = True,
    office_checked: bool = False,
    ocr: bool = True,
    batch_size: int = 50,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_commit: Callable[[list[FileOutcome]], None] | None = None,
    analyze: bool = True,
) -> list[FileOutcome]:
    """Import `files` with work_plan_import, `batch_size` files a transaction, and return what
    became of each. `on_file` is called inside the batch's transaction (what it writes is
    committed with the notice, or not at all); `on_commit` once the batch is committed.
    `ocr=False` refuses a scan instead of recognising its pages; `analyze=False` leaves the
    tables' statistics to the caller (a command whose processes each import a part)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    outcomes: list[FileOutcome] = []
    written = False
    with action_logs_announced_together():
        for start in range(0, len(files), batch_size):
            done: list[FileOutcome] = []
            with transaction.atomic():
                for notice in files[start : start + batch_size]:
                    outcome = _import_one(
                        notice,
                        office=office,
                        acting_user=acting_user,
                        replace=replace,
                        publish=publish,
                        dry_run=dry_run,
                        create_office=create_office,
                        office_checked=office_checked,
                        ocr=ocr,
                    )
                    result = outcome.result
                    written = written or bool(result and (result.created or result.replaced))
                    if on_file is not None:
                        on_file(outcome)
                    done.append(outcome)
            outcomes.extend(done)
            if on_commit is not None:
                on_commit(done)
    if written and not dry_run and analyze:
        # Notices imported in bulk: the planner's statistics must count the new rows now,
        # not when autovacuum (if it runs) gets round to them.
        tables_analyze(IMPORT_MODELS)
    return outcomes


def _import_one(notice: NoticeFile, *, ocr: bool, **options) -> FileOutcome:
    try:
        data = notice.read()
    except OSError as exc:
        return FileOutcome(
            notice,
            error=gettext("Cannot read the file (%(reason)s).") % {"reason": exc.strerror or exc},
        )
    if data is None:
        return FileOutcome(notice, error=gettext("The uploaded file is no longer there; upload it again."))
    source_name = PurePath(notice.name).name
    if not ocr and work_plan_needs_ocr(data=data, source_name=source_name):
        # Recognised text may be wrong, and only the single import's preview shows it to be
        # checked before it becomes a plan.
        return FileOutcome(
            notice,
            error=gettext(
                "This PDF is a scan: import it on its own (Import a notice), where its recognised "
                "text is shown to be checked."
            ),
        )
    try:
        result = work_plan_import(data=data, source_name=source_name, parsed=notice.parsed, **options)
    except ValidationError as exc:
        return FileOutcome(notice, error=" ".join(exc.messages))
    except DatabaseError as exc:
        # Its savepoint is rolled back; the batch goes on without it.
        logger.exception("importing %s failed", notice.name)
        return FileOutcome(notice, error=gettext("The database refused the notice (%(reason)s).") % {"reason": exc})
    return FileOutcome(notice, result=result)


def work_plans_import_start(*, user, office: Office | None, publish: bool, notices: Sequence[tuple[str, bytes]]) -> Job:
    """Keep the files (checked by the batch form) until the job imports them, and start it; the
    same files started again while it waits or runs give that job (a double click)."""
    files = []
    for name, data in notices:
        suffix = PurePath(name).suffix.lower()[:16]
        pending = pending_save(folder=BATCH_DIR, data=data, suffix=suffix, max_age=BATCH_MAX_AGE)
        files.append({"name": name, "pending": pending, "sha256": hashlib.sha256(data).hexdigest()})
    office_id = office.pk if office else None
    return job_start(
        kind=IMPORT_BATCH,
        user=user,
        office=office,
        title=gettext("Batch import of %(count)d notices") % {"count": len(files)},
        params={"office": office_id, "publish": publish, "files": files},
        same_as={"office": office_id, "publish": publish, "files": [[f["name"], f["sha256"]] for f in files]},
    )
