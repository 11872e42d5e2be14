import json
import multiprocessing
import queue
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils.translation import gettext as _

from organisation.models import Office
from plans.services.batches import FileOutcome, NoticeFile, work_plans_import
from plans.services.bulk import tables_analyze
from plans.services.imports import IMPORT_MODELS, office_resolve, work_plan_parse

# How long the reading process waits on a full writer before looking whether it is still alive.
_WAIT_SECONDS = 1.0


@dataclass
class Entry:
    """One file to import: its place in the command line, its bytes and, read by the process
    that hands it out, what it parsed to."""

    index: int
    path: Path
    data: bytes | None = None
    parsed: tuple | None = None
    error: str = ""


@dataclass
class Outcome:
    """What importing one file printed, kept to be printed in the files' order."""

    index: int
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    json: dict | None = None
    written: bool = False
    failed: bool = False


@dataclass
class Options:
    office: Office | None
    replace: bool
    publish: bool
    dry_run: bool
    as_json: bool
    batch: int


class Command(BaseCommand):
    help = _(
        "Import 工作要点 notices (.txt in UTF-8/GB18030, .docx, text PDF) as work plans. "
        "Each file is imported all or nothing; the same document twice makes one plan."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--office", type=int, help=_("ID of the issuing office (otherwise read from the document).")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Parse and check, write nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print the parsed document as JSON."))
        parser.add_argument("--replace", action="store_true", help=_("Update an existing draft of the same document."))
        parser.add_argument("--publish", action="store_true", help=_("Publish the imported plan."))
        parser.add_argument(
            "--batch",
            type=int,
            default=50,
            help=_("Files imported in one transaction (default 50); a file that fails leaves the others."),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=_(
                "Processes writing at once (default 1; PostgreSQL only): the notices of one issuing "
                "office are all written by the same process, in the order given."
            ),
        )

    def handle(self, *args, files, office, dry_run, replace, publish, batch, jobs, **options):
        as_json = options["json"]
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        if jobs < 1:
            raise CommandError(_("--jobs must be at least 1."))
        if jobs > 1 and connection.vendor != "postgresql":
            raise CommandError(_("--jobs above 1 needs PostgreSQL: SQLite lets one process write at a time."))
        if jobs > 1 and connection.in_atomic_block:
            # The writers commit in their own connections: what this transaction holds is not theirs.
            raise CommandError(_("--jobs above 1 cannot run inside a transaction."))
        office_obj = None
        if office is not None:
            office_obj = Office.objects.filter(pk=office).select_related("region", "county").first()
            if office_obj is None:
                raise CommandError(_("There is no office with ID %(id)s.") % {"id": office})
        settings = Options(
            office=office_obj, replace=replace, publish=publish, dry_run=dry_run, as_json=as_json, batch=batch
        )
        if jobs == 1 or len(files) == 1:
            outcomes = self._import_here(files, settings)
        else:
            outcomes = self._import_in_processes(files, settings, jobs)
        outputs = [outcome.json for outcome in outcomes if outcome.json is not None]
        if any(outcome.written for outcome in outcomes) and not dry_run:
            # Notices imported in bulk: the planner's statistics must count the new rows now,
            # not when autovacuum (if it runs) gets round to them.
            tables_analyze(IMPORT_MODELS)
        if as_json and outputs:
            payload = outputs[0] if len(files) == 1 else outputs
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        if any(outcome.failed for outcome in outcomes):
            sys.exit(1)

    def _print(self, outcome: Outcome) -> None:
        for line in outcome.err:
            self.stderr.write(line)
        for line in outcome.out:
            self.stdout.write(line)

    def _import_here(self, files: list[Path], settings: Options) -> list[Outcome]:
        outcomes = []

        def report(done: list[FileOutcome]) -> None:
            # Reported once committed.
            for file_outcome in done:
                outcome = outcome_of(file_outcome, settings)
                self._print(outcome)
                outcomes.append(outcome)

        work_plans_import(
            files=[NoticeFile(name=str(path), read=path.read_bytes, position=n) for n, path in enumerate(files)],
            office=settings.office,
            replace=settings.replace,
            publish=settings.publish,
            dry_run=settings.dry_run,
            batch_size=settings.batch,
            on_commit=report,
            analyze=False,
        )
        return outcomes

    def _import_in_processes(self, files: list[Path], settings: Options, jobs: int) -> list[Outcome]:
        """This process reads and parses the files in their order and hands each to one of
        `jobs` writer processes, chosen by its issuing office: the notices of one office (its
        plans, their 文号, a new office, the same text twice) are written by one process, in
        the order given, so that what one process would accept or refuse is accepted or refused
        alike, and no two processes wait on each other's rows. What they print is printed here
        in the files' order."""
        context = multiprocessing.get_context("fork")
        inboxes = [context.Queue(maxsize=2 * settings.batch) for _ in range(jobs)]
        outbox = context.Queue()
        # A forked process must not share this one's connections: it opens its own.
        connections.close_all()
        writers = [context.Process(target=writer_main, args=(inbox, outbox, settings)) for inbox in inboxes]
        for writer in writers:
            writer.start()
        outcomes: dict[int, Outcome] = {}
        printed = 0
        writer_of: dict = {}
        load = [0] * jobs
        failures: list[str] = []
        finished = 0

        def receive(block: bool) -> None:
            nonlocal printed, finished
            while True:
                try:
                    message = outbox.get(block=block, timeout=_WAIT_SECONDS if block else None)
                except queue.Empty:
                    return
                kind, payload = message
                if kind == "outcomes":
                    outcomes.update((outcome.index, outcome) for outcome in payload)
                elif kind == "failed":
                    failures.append(payload)
                    finished += 1
                else:
                    finished += 1
                while printed in outcomes:
                    self._print(outcomes[printed])
                    printed += 1
                if block:
                    return

        offices: dict[str, object] = {}

        def hand(target: int, entry: Entry | None) -> bool:
            """Put `entry` in the writer's inbox; False when the writer has stopped."""
            while True:
                try:
                    inboxes[target].put(entry, timeout=_WAIT_SECONDS)
                    return True
                except queue.Full:
                    if not writers[target].is_alive():
                        return False
                finally:
                    receive(block=False)

        try:
            for index, path in enumerate(files):
                # Made here and handed on: a parsed notice is kept by its writer only.
                entry = Entry(index, path)
                key = entry_read(entry, settings.office, offices)
                if key is None:
                    outcomes[entry.index] = Outcome(entry.index, err=[entry.error], failed=True)
                    continue
                if key not in writer_of:
                    # A new office goes to the writer with the fewest notices so far.
                    writer_of[key] = min(range(jobs), key=load.__getitem__)
                target = writer_of[key]
                load[target] += 1
                if not hand(target, entry):
                    break  # a writer failed: the others finish what they have, and stop
            for target in range(jobs):
                if writers[target].is_alive():
                    hand(target, None)
            while finished < jobs:
                if not any(writer.is_alive() for writer in writers) and outbox.empty():
                    break
                receive(block=True)
        except BaseException:
            # Interrupted: the writers' open transactions are rolled back with their connections.
            for writer in writers:
                writer.terminate()
            raise
        finally:
            for writer in writers:
                writer.join()
        for failure in failures:
            self.stderr.write(failure)
        if failures or finished < jobs:
            raise CommandError(_("A writer process stopped; the files it had not committed were not imported."))
        while printed in outcomes:
            self._print(outcomes[printed])
            printed += 1
        return [outcomes[index] for index in sorted(outcomes)]


def entry_read(entry: Entry, office: Office | None, offices: dict):
    """Read and parse the entry's file; the key of the office that issued it, or None when the
    file cannot be read or parsed (`entry.error` says why, as a writer would). The key is the
    office's id when it is known here (by its name or another), else the name a new office
    would take; `offices` keeps each name's key for the whole run, so that a name is not sent
    to another writer once the first has created its office."""
    try:
        entry.data = entry.path.read_bytes()
    except OSError as exc:
        entry.error = f"{entry.path}: " + _("Cannot read the file (%(reason)s).") % {"reason": exc.strerror or exc}
        return None
    try:
        entry.parsed = work_plan_parse(data=entry.data, source_name=entry.path.name, office=office)
    except ValidationError as exc:
        entry.error = refused(entry.path, exc)
        return None
    if office is not None:
        return office.pk
    name = entry.parsed[0].issuing_office
    if name not in offices:
        known = office_resolve(name)
        offices[name] = known.pk if known is not None else name
    return offices[name]


def refused(path: Path, exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return f"{path}: {' '.join(exc.messages)}"
    return f"{path}: {exc}"


# The connections a writer inherited from the process that forked it: kept referenced, never
# used nor closed (closing one would end the parent's session too), until the writer exits.
_INHERITED: list = []


def writer_main(inbox, outbox, settings: Options) -> None:
    """A writer process (writer_run), which closes its connections when it ends. It opens its
    own: a connection the parent could not close before forking (Django leaves one closed
    inside a transaction as it is) would otherwise be one session spoken to by two processes."""
    for conn in connections.all(initialized_only=True):
        _INHERITED.append(conn.connection)
        conn.connection = None
    try:
        writer_run(inbox, outbox, settings)
    finally:
        connections.close_all()


def writer_run(inbox, outbox, settings: Options) -> None:
    """Import the entries handed in `inbox` (None: no more), `settings.batch` a transaction
    (plans.services.batches.work_plans_import, as one process does), and send back what they
    printed; ("done", counts) at the end, or ("failed", the traceback)."""
    imported = 0
    try:
        pending: list[Entry] = []
        while True:
            entry = inbox.get()
            if entry is not None:
                pending.append(entry)
            if pending and (entry is None or len(pending) >= settings.batch):
                done = work_plans_import(
                    files=[
                        NoticeFile(name=str(e.path), read=lambda data=e.data: data, position=e.index, parsed=e.parsed)
                        for e in pending
                    ],
                    office=settings.office,
                    replace=settings.replace,
                    publish=settings.publish,
                    dry_run=settings.dry_run,
                    batch_size=len(pending),
                    analyze=False,
                )
                imported += len(pending)
                outbox.put(("outcomes", [outcome_of(file_outcome, settings) for file_outcome in done]))
                pending = []
            if entry is None:
                break
        outbox.put(("done", {"files": imported}))
    except BaseException:
        outbox.put(("failed", traceback.format_exc()))


def outcome_of(file_outcome: FileOutcome, settings: Options) -> Outcome:
    """What the command prints of one file's import."""
    outcome = Outcome(file_outcome.file.position)
    if file_outcome.refused:
        outcome.failed = True
        outcome.err.append(f"{file_outcome.file.name}: {file_outcome.error}")
        return outcome
    result = file_outcome.result
    outcome.written = result.created or result.replaced
    if settings.as_json:
        outcome.json = result.document.to_json(_)
    else:
        outcome.out = report_lines(Path(file_outcome.file.name), result, settings.dry_run)
    return outcome


def report_lines(path, result, dry_run) -> list[str]:
    doc = result.document
    counts = {
        "file": path.name,
        "sections": len(doc.sections),
        "tasks": len(doc.tasks),
        "projects": len(doc.projects),
        "schedule": len(doc.schedule),
        "counties": len(doc.places),
    }
    if dry_run:
        line = _(
            "%(file)s: checked (dry run): %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
        )
    elif result.created:
        line = _(
            "%(file)s: imported as plan #%(id)s: %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
        )
    elif result.replaced:
        line = _(
            "%(file)s: replaced draft plan #%(id)s: %(sections)d sections, %(tasks)d tasks, %(projects)d projects, %(schedule)d schedule entries, %(counties)d counties."
        )
    else:
        line = _("%(file)s: already imported as plan #%(id)s; nothing changed.")
    counts["id"] = result.plan.pk if result.plan else "-"
    lines = [line % counts]
    if result.duplicate:
        return lines  # its warnings were printed when it was imported
    return lines + ["  " + _("Warning: %(message)s") % {"message": warning} for warning in result.warnings]
