"""The plan list's word search through the tasks' character grams (plans.textsearch).

On PostgreSQL the plans whose tasks can hold a word are found through the GIN index over the
plans' grams (the union of their tasks'): a word of one or two characters without case is then
found, a longer or cased one confirmed by LIKE over those plans' tasks only. The plans found are
exactly the plans LIKE finds. SQLite keeps the LIKE over every task. Every path that writes a
task's title or text keeps its grams, and its plan's, in step.
"""

import importlib
import io
from types import SimpleNamespace

import factory
import openpyxl
import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisation.models import Office
from plans.filters import OFFICES_NAMED_MAX, WorkPlanFilter, plan_text_matches, search_terms, task_text_matches
from plans.models import Task, WorkPlan
from plans.outputs.excel import plan_workbook_write
from plans.outputs.excel_import import plan_schedule_import
from plans.services import plan_snapshot, work_plan_import, work_plan_publish, work_plan_revise, work_plan_submit
from plans.services.editing import work_plan_copy, work_plan_update
from plans.textsearch import fold, plan_search_grams, plan_word_grams, search_grams, word_grams
from tests.conftest import SEEDS_DIR
from tests.factories import OfficeFactory, TaskFactory, UserFactory, WorkPlanFactory, work_plan_build

POSTGRES = connection.vendor == "postgresql"


def filtered(q: str) -> list[int]:
    filterset = WorkPlanFilter({"q": q}, queryset=WorkPlan.objects.all())
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("pk", flat=True))


def by_like(q: str) -> list[int]:
    """The plans whose tasks LIKE alone finds (the search as it was: no grams)."""
    plans = WorkPlan.objects.all()
    for term in search_terms(q):
        lookup = "contains" if term.lower() == term.upper() else "icontains"
        tasks = Task.objects.filter(plan=OuterRef("pk")).filter(task_text_matches(term, lookup=lookup, vendor="sqlite"))
        plans = plans.filter(Exists(tasks))
    return sorted(plans.values_list("pk", flat=True))


def bare_plan(office=None) -> WorkPlan:
    """A plan whose title, 文号, year and office match none of the words searched for here."""
    office = office or Office.objects.filter(name="某办公室").first() or OfficeFactory(name="某办公室")
    return WorkPlanFactory(office=office, title="计划", notice_title="", doc_number="", plan_year=1999)


def assert_grams_current():
    for task in Task.objects.all():
        assert task.search_grams == search_grams(task.title, task.text), task
    for plan in WorkPlan.objects.all():
        tasks = [(task.title, task.text) for task in plan.tasks.all()]
        assert plan.search_grams == plan_search_grams(tasks), plan


# --- The grams ---------------------------------------------------------------------------------


def test_grams_are_the_characters_and_pairs_of_title_and_text_apart():
    grams = search_grams("均衡", "督学，a").split(" ")
    assert sorted(grams) == sorted(["均", "衡", "均衡", "督", "学", "督学", "，", "学，", "A", "，A"])
    # No pair spans the title and the text: LIKE matches each on its own.
    assert "衡督" not in grams


def test_a_word_needs_its_character_or_every_pair_of_it():
    assert word_grams("督") == ["督"]
    assert word_grams("双减") == ["双减"]
    assert word_grams("督导评估") == ["导评", "督导", "评估"]
    assert word_grams("ab") == ["AB"]


def test_white_space_makes_no_gram_and_case_folds_one_character_for_one():
    assert search_grams("a b", "") == "A B"
    assert fold("straße") == "STRAßE"


# --- The same plans as LIKE --------------------------------------------------------------------

# Characters of the notices, a few Latin letters in both cases, digits and the punctuation of
# 文号 and lists: enough repeats for words of one to four characters to match and to miss.
ALPHABET = "均衡督学双减整改导评估教育〔〕（）、，。；2017aAbBzZ-"
texts = st.text(alphabet=ALPHABET, min_size=0, max_size=24)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tasks=st.lists(st.tuples(texts.filter(bool), texts.filter(bool)), min_size=1, max_size=6),
    word=st.text(alphabet=ALPHABET.replace("，", "").replace("、", "").replace("；", ""), min_size=1, max_size=4),
    data=st.data(),
)
def test_search_finds_exactly_the_plans_like_finds(tasks, word, data):
    with transaction.atomic():
        # Nothing of the plans but their tasks holds a character of the alphabet.
        plans = [bare_plan() for _ in range(3)]
        for number, (title, text) in enumerate(tasks, start=1):
            TaskFactory(plan=data.draw(st.sampled_from(plans)), number=number, title=title, text=text)
        # Often a word taken from a task, so that there is something to find.
        title, text = data.draw(st.sampled_from(tasks))
        whole = title + text  # a word across the title's end and the text's start: not a match
        start = data.draw(st.integers(0, max(0, len(whole) - 1)))
        taken = whole[start : start + data.draw(st.integers(1, 4))]
        for q in (word, taken):
            if search_terms(q):
                assert filtered(q) == by_like(q), q
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_word_across_the_title_and_the_text_is_not_found():
    plan = bare_plan()
    TaskFactory(plan=plan, title="推进均", text="衡发展")
    assert filtered("均衡") == [] == by_like("均衡")
    assert filtered("衡发") == [plan.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["督", "督学", "督导评估", "Ab", "〔2017〕"])
def test_words_of_every_length_find_the_plans_of_their_tasks(q):
    wanted = bare_plan()
    TaskFactory(plan=wanted, title="开展责任督学挂牌督导", text="督导评估。aB〔2017〕号")
    other = bare_plan()
    TaskFactory(plan=other, title="义务教育", text="优质均衡发展")
    assert filtered(q) == [wanted.pk]


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="SQLite has no index over the grams: its search is the LIKE over every task")
@pytest.mark.parametrize("q", ["督", "均衡"])
def test_on_postgresql_a_short_word_reads_the_tasks_through_the_grams_index(q):
    work_plan_build(tasks=3)
    tasks = Task.objects.filter(task_text_matches(q, lookup="contains", vendor="postgresql"))
    tasks = tasks.order_by().values("plan_id")
    with connection.cursor() as cursor:
        # A handful of rows: only with reading the whole table ruled out is the choice the
        # index's (before migration 0002 there was no index to choose).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = tasks.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "task_search_grams" in plan, plan


def test_a_plans_grams_are_the_runs_of_up_to_four_characters_of_its_tasks_titles_and_texts_apart():
    grams = plan_search_grams([("均衡a", "督学"), ("双减", ""), ("", "a b"), ("控辍保学", "")]).split(" ")
    assert sorted(grams) == sorted(
        ["均", "衡", "A", "均衡", "衡A", "均衡A", "督", "学", "督学", "双", "减", "双减", "B"]
        + ["控", "辍", "保", "控辍", "辍保", "保学", "控辍保", "辍保学", "控辍保学"]
    )
    assert plan_search_grams([]) == ""


def test_a_plan_needs_the_word_itself_up_to_four_characters_or_every_run_of_four_of_it():
    assert plan_word_grams("督") == ["督"]
    assert plan_word_grams("控辍保") == ["控辍保"]
    assert plan_word_grams("督导评估") == ["督导评估"]
    assert plan_word_grams("督导评估组") == ["导评估组", "督导评估"]
    assert plan_word_grams("abcde") == ["ABCD", "BCDE"]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["督", "督学", "双减", "督导评估"])
def test_a_word_in_one_task_of_a_plan_finds_the_plan(q):
    wanted = bare_plan()
    TaskFactory(plan=wanted, number=1, title="义务教育", text="优质均衡发展")
    TaskFactory(plan=wanted, number=2, title="落实双减", text="开展责任督学挂牌督导评估")
    TaskFactory(plan=wanted, number=3, title="整改", text="")
    other = bare_plan()
    TaskFactory(plan=other, title="义务教育", text="优质均衡发展")
    assert filtered(q) == [wanted.pk] == by_like(q)


@pytest.mark.django_db
def test_a_longer_word_whose_pairs_are_in_different_tasks_is_not_found():
    plan = bare_plan()
    TaskFactory(plan=plan, number=1, title="督导", text="")
    TaskFactory(plan=plan, number=2, title="导评", text="评估")
    # The plan holds every pair of 督导评估, no task holds the word.
    assert filtered("督导评估") == [] == by_like("督导评估")
    assert filtered("导评") == [plan.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["a", "ab", "AB", "aB", "abc", "ABC"])
def test_latin_words_are_found_whatever_their_case(q):
    wanted = bare_plan()
    TaskFactory(plan=wanted, title="推进", text="Abc行动")
    other = bare_plan()
    TaskFactory(plan=other, title="推进", text="行动")
    assert filtered(q) == [wanted.pk] == by_like(q)


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="SQLite has no index over the grams: its search is the LIKE over every plan")
@pytest.mark.parametrize("q", ["督学", "督导评估"])
def test_on_postgresql_a_short_word_is_found_among_the_plans_without_reading_a_task_or_a_title(q):
    work_plan_build(tasks=3)
    filterset = WorkPlanFilter({"q": q}, queryset=WorkPlan.objects.all())
    assert filterset.is_valid(), filterset.errors
    with connection.cursor() as cursor:
        sql, params = filterset.qs.query.sql_with_params()
        cursor.execute(f"EXPLAIN (VERBOSE) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "workplan_ids_holding" in plan, plan
    assert "plans_task" not in plan, plan
    assert "title ~~" not in plan and "doc_number)::text ~~" not in plan, plan
    with connection.cursor() as cursor:
        # The function's query for one year, under its own setting.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM plans_workplan WHERE "
            "workplan_grams(plan_year, title, notice_title, doc_number, search_grams) @> '{2026|督学}'"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on workplan_grams" in plan, plan


@pytest.mark.django_db
@pytest.mark.skipif(not POSTGRES, reason="the search indexes are PostgreSQL's")
def test_the_plans_grams_take_no_pending_list_and_the_tasks_indexes_a_small_one():
    """A GIN index's pending list is read by every search until it is merged: the plans' grams,
    read by every search and written once a plan, keep none; the tasks' indexes, written by the
    thousand by an Excel sheet, keep one of 256 kB, merged in bulk by the write that fills it."""
    work_plan_build(tasks=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN "
            "('workplan_grams', 'task_title_trgm', 'task_text_trgm', 'task_search_grams') ORDER BY relname"
        )
        options = cursor.fetchall()
    bounded = ["fastupdate=on", "gin_pending_list_limit=256"]
    assert options == [
        ("task_search_grams", bounded),
        ("task_text_trgm", bounded),
        ("task_title_trgm", bounded),
        ("workplan_grams", ["fastupdate=off"]),
    ]


def reference(q: str) -> list[int]:
    """The plans LIKE alone finds, on every plan's title, notice title, 文号, office and tasks."""
    plans = WorkPlan.objects.all()
    for term in search_terms(q):
        lookup = "contains" if term.lower() == term.upper() else "icontains"
        condition = plan_text_matches(term, lookup=lookup, vendor="sqlite", years=[])
        if term.isdigit() and len(term) == 4:
            condition |= Q(plan_year=int(term))
        plans = plans.filter(condition)
    return sorted(plans.values_list("pk", flat=True))


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headers=st.lists(st.tuples(texts, texts, texts, texts.filter(bool)), min_size=1, max_size=4),
    word=st.text(alphabet=ALPHABET.replace("，", "").replace("、", "").replace("；", ""), min_size=1, max_size=4),
    typed=st.sampled_from(["", "[", "（", "【"]),
    data=st.data(),
)
def test_search_finds_exactly_the_plans_whose_title_notice_title_wenhao_or_office_holds_the_word(
    headers, word, typed, data
):
    with transaction.atomic():
        plans = []
        for n, (title, notice_title, doc_number, office) in enumerate(headers):
            plans.append(
                WorkPlanFactory(
                    office=OfficeFactory(name=f"{office}{n}"),
                    title=title or "计划",
                    notice_title=notice_title,
                    doc_number=doc_number,
                    plan_year=2015 + n,
                )
            )
        TaskFactory(plan=plans[0], title="计划", text="")
        # Often a word taken from a header, so that there is something to find; and a 文号
        # as users type its brackets.
        whole = data.draw(st.sampled_from([part for header in headers for part in header]))
        start = data.draw(st.integers(0, max(0, len(whole) - 1)))
        taken = whole[start : start + data.draw(st.integers(1, 4))]
        for q in (word, taken, taken.replace("〔", typed or "〔")):
            if search_terms(q):
                assert filtered(q) == reference(q), q
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["均", "均衡", "优质均衡", "〔2017〕", "[2017]"])
def test_a_title_notice_title_or_wenhao_changed_in_bulk_is_found_at_once(q):
    plan = bare_plan()
    assert filtered(q) == []
    # update() saves no model and refreshes nothing: on PostgreSQL the index computes the
    # header's grams itself.
    WorkPlan.objects.filter(pk=plan.pk).update(title="推进优质均衡", doc_number="某教督〔2017〕1号")
    assert filtered(q) == [plan.pk]
    WorkPlan.objects.filter(pk=plan.pk).update(title="计划", notice_title="关于优质均衡的通知", doc_number="")
    assert filtered(q) == ([plan.pk] if "2017" not in q else [])


@pytest.mark.django_db
def test_filling_the_plans_grams_gives_the_union_of_their_tasks():
    fill = importlib.import_module("plans.migrations.0006_workplan_search_grams_fill")
    plan = bare_plan()
    TaskFactory(plan=plan, number=1, title="均衡a", text="督学")
    TaskFactory(plan=plan, number=2, title="双减", text="")
    empty = bare_plan()
    WorkPlan.objects.update(search_grams="")

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    fill.grams_fill(django_apps, SimpleNamespace(connection=connection, execute=execute))
    plan.refresh_from_db()
    empty.refresh_from_db()
    # 0006's union of the tasks' characters and pairs.
    union = set(search_grams("均衡a", "督学").split(" ")) | set(search_grams("双减", "").split(" "))
    assert plan.search_grams == " ".join(sorted(union))
    assert empty.search_grams == ""


@pytest.mark.django_db
def test_migration_0009_fills_the_plans_grams_with_triples_and_back():
    migration = importlib.import_module("plans.migrations.0009_workplan_grams")
    plan = bare_plan()
    TaskFactory(plan=plan, number=1, title="控辍保学", text="督学")
    WorkPlan.objects.update(search_grams="")

    migration.grams_fill(django_apps)
    plan.refresh_from_db()
    assert plan.search_grams == migration.plan_search_grams([("控辍保学", "督学")])
    assert "控辍保" in plan.search_grams.split(" ") and "控辍保学" not in plan.search_grams.split(" ")

    migration.grams_fill(django_apps, widths=2)
    plan.refresh_from_db()
    assert plan.search_grams == search_grams("控辍保学", "督学")


@pytest.mark.django_db
def test_migration_0012_fills_the_plans_grams_with_runs_of_four_and_indexes_them_and_back():
    migration = importlib.import_module("plans.migrations.0012_workplan_grams_of_four")
    plan = bare_plan()
    TaskFactory(plan=plan, number=1, title="控辍保学", text="督学")
    WorkPlan.objects.filter(pk=plan.pk).update(title="推进义务教育", search_grams="")

    def execute(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    editor = SimpleNamespace(connection=connection, execute=execute)
    if connection.vendor == "postgresql":
        # The test's rows' deferred key checks, which an index may not be made over.
        execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration._grams_of(4)(django_apps, editor)
    plan.refresh_from_db()
    assert plan.search_grams == plan_search_grams([("控辍保学", "督学")])
    # On PostgreSQL the index made again holds the header's runs of four as well.
    assert filtered("控辍保学") == [plan.pk] == filtered("义务教育")

    migration._grams_of(3)(django_apps, editor)
    plan.refresh_from_db()
    assert "控辍保学" not in plan.search_grams.split(" ") and "控辍保" in plan.search_grams.split(" ")


# --- Every write path keeps the grams in step --------------------------------------------------


@pytest.mark.django_db
def test_a_task_saved_keeps_its_grams_and_so_does_a_save_of_some_fields():
    task = TaskFactory(title="均衡", text="整改")
    assert task.search_grams == search_grams("均衡", "整改")
    task.title = "双减"
    task.save(update_fields=["title"])
    task.refresh_from_db()
    assert task.search_grams == search_grams("双减", "整改")


@pytest.mark.django_db
def test_a_task_saved_or_deleted_on_its_own_keeps_its_plans_grams():
    plan = bare_plan()
    first = TaskFactory(plan=plan, number=1, title="均衡", text="")
    second = TaskFactory(plan=plan, number=2, title="双减", text="")
    assert filtered("双减") == [plan.pk]
    second.title = "整改"
    second.save(update_fields=["title"])
    assert filtered("双减") == []
    assert filtered("整改") == [plan.pk]
    first.delete()
    assert filtered("均衡") == []
    assert_grams_current()


@pytest.mark.django_db
def test_a_plan_saved_after_its_tasks_changed_keeps_their_grams():
    plan = bare_plan()
    TaskFactory(plan=plan, title="均衡", text="")
    plan.notes = "已核"  # the instance read before the task was written
    plan.save()
    assert filtered("均衡") == [plan.pk]
    assert_grams_current()


@pytest.mark.django_db
def test_an_imported_notice_has_the_grams_of_its_tasks():
    path = next(SEEDS_DIR.glob("004_*.txt"))
    result = work_plan_import(data=path.read_bytes(), source_name=path.name)
    assert result.plan.tasks.exists()
    assert_grams_current()


@pytest.mark.django_db
def test_editing_copying_revising_and_a_sheet_keep_the_grams_in_step():
    editor, reviewer = UserFactory(username="editor"), UserFactory(username="reviewer")
    draft = work_plan_build(tasks=3, status=WorkPlan.Status.DRAFT, doc_number="")

    snapshot = plan_snapshot(draft)
    snapshot["tasks"][0] = snapshot["tasks"][0] | {"title": "落实双减", "text": "落实双减。开展专项督导。"}
    content = {key: snapshot[key] for key in ("plan", "sections", "tasks", "entries")}
    draft = work_plan_update(plan=draft, content=content, expected_version=draft.version, acting_user=editor)
    assert filtered("双减") == [draft.pk]

    stream = io.BytesIO()
    plan_workbook_write(plan=draft, stream=stream)
    workbook = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    workbook.worksheets[0].cell(3, 2).value = "整改落实"
    out = io.BytesIO()
    workbook.save(out)
    plan_schedule_import(plan=draft, data=out.getvalue(), expected_version=draft.version, acting_user=editor)
    assert Task.objects.get(plan=draft, number=1).title == "整改落实"
    assert filtered("整改") == [draft.pk]

    work_plan_submit(plan=draft, acting_user=editor)
    published = work_plan_publish(plan=draft, acting_user=reviewer)
    revision = work_plan_revise(plan=published, acting_user=editor)
    copy = work_plan_copy(source=published, acting_user=editor)
    assert set(filtered("整改")) == {published.pk, revision.pk, copy.pk}
    assert_grams_current()


@pytest.mark.django_db
def test_a_word_of_office_names_finds_their_plans_however_many_offices_it_names():
    # Up to OFFICES_NAMED_MAX offices a word names are read first (on PostgreSQL) and their
    # plans taken by office; more (督导室 here), and the office names are tested in the
    # search itself.
    first = bare_plan(office=OfficeFactory(name="甲市教育督导室"))
    second = bare_plan(office=OfficeFactory(name="乙市教育督导室"))
    bare_plan()
    OfficeFactory.create_batch(OFFICES_NAMED_MAX, name=factory.Sequence(lambda n: f"丁{n}督导室"))

    assert filtered("督导室") == sorted([first.pk, second.pk])
    assert filtered("市教育督导室") == sorted([first.pk, second.pk])
    assert filtered("甲市") == [first.pk]
    assert filtered("甲市 督导室") == [first.pk]
    assert filtered("丙市") == []
