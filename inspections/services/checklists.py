"""Writes to checklists: an office's template per kind of inspection, an inspection's own
checklist (until the team is on site), and a county's 自查自评 answers to it (until its
self-assessment is accepted). Each is written whole, in one transaction, with one audit event."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from inspections import actions
from inspections.checklists import default_checklist
from inspections.models import ChecklistAnswer, ChecklistItem, ChecklistTemplate, ChecklistTemplateItem, Inspection
from inspections.selectors import self_assessment_of
from supervision.history import acting_as
from tracking.models import Assignment

error_messages = {
    "empty": _("A checklist needs at least one item."),
    "foreign_item": _("An item of another checklist was sent; reload the page and try again."),
    "not_editable": _("The checklist no longer changes once the team is on site."),
    "answered": _("“%(item)s” has already been answered by a county and stays on the checklist."),
    "name_required": _("The template needs a name."),
    "not_asked": _("This county has not been asked for a self-assessment of this inspection."),
    "accepted": _("This self-assessment has been accepted and no longer changes."),
    "withdrawn": _("This self-assessment has been withdrawn."),
    "rating": _("“%(rating)s” is not a rating."),
}


# Until the team is on site the inspection's checklist may still change.
CHECKLIST_EDITABLE = (Inspection.Status.PREPARING, Inspection.Status.SELF_ASSESSMENT)


def _error(code: str, **params) -> ValidationError:
    return ValidationError(error_messages[code], code=code, params=params)


@dataclass(frozen=True)
class ItemData:
    """An item as a form gives it: `pk` names a row already on the checklist (None: a new one)."""

    section: str
    title: str
    guidance: str = ""
    evidence: str = ""
    pk: int | None = None


def checklist_items_for(*, office, kind: str) -> tuple[str, list[ItemData]]:
    """The office's template of `kind` (its name and items), or the default one when it has
    none: what a new inspection of the kind copies."""
    template = ChecklistTemplate.objects.filter(office=office, kind=kind).first()
    if template is None:
        default = default_checklist(kind)
        return default.name, [ItemData(i.section, i.title, i.guidance, i.evidence) for i in default.items]
    return template.name, [
        ItemData(item.section, item.title, item.guidance, item.evidence, pk=item.pk) for item in template.items.all()
    ]


_FIELDS = ("section", "title", "guidance", "evidence")


def _items_replace(*, model, parent: dict, existing: dict, items: list[ItemData]) -> dict:
    """Make `items` the rows of a checklist, in their order: rows kept are updated in place,
    new ones created, the others deleted. Returns the counts."""
    if not items:
        raise _error("empty")
    if any(item.pk is not None and item.pk not in existing for item in items):
        raise _error("foreign_item")
    kept = {item.pk for item in items if item.pk is not None}
    removed = [pk for pk in existing if pk not in kept]
    changed, added = [], []
    for position, item in enumerate(items, start=1):
        values = {name: getattr(item, name).strip() for name in _FIELDS} | {"position": position}
        if item.pk is None:
            added.append(model(**parent, **values))
            continue
        row = existing[item.pk]
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    model.objects.filter(pk__in=removed).delete()
    model.objects.bulk_update(changed, ["position", *_FIELDS], batch_size=500)
    model.objects.bulk_create(added, batch_size=500)
    return {"added": len(added), "changed": len(changed), "removed": len(removed)}


@transaction.atomic
def checklist_template_save(*, office, kind: str, name: str, items: list[ItemData], acting_user) -> ChecklistTemplate:
    """Make `items` the office's checklist template of `kind` (created on its first save).
    Inspections already created keep their own checklist."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _error("name_required")})
    template, created = ChecklistTemplate.objects.select_for_update().get_or_create(
        office=office, kind=kind, defaults={"name": name}
    )
    template.full_clean()
    existing = {} if created else {row.pk: row for row in template.items.all()}
    counts = _items_replace(model=ChecklistTemplateItem, parent={"template": template}, existing=existing, items=items)
    template.name = name
    template.updated_at = timezone.now()
    with acting_as(acting_user):
        template.save(update_fields=["name", "updated_at"])
    log_action(
        template,
        actions.TEMPLATE_EDITED,
        user=acting_user,
        office=office,
        data={"kind": kind, "name": name, "created": created, **counts},
    )
    return template


@transaction.atomic
def checklist_set(*, inspection: Inspection, items: list[ItemData], acting_user) -> dict:
    """Make `items` the inspection's checklist, until its team is on site. An item a county has
    answered stays (its answer would go with it)."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status not in CHECKLIST_EDITABLE:
        raise _error("not_editable")
    existing = {row.pk: row for row in inspection.checklist.all()}
    kept = {item.pk for item in items}
    answered = ChecklistItem.objects.filter(pk__in=[pk for pk in existing if pk not in kept], answers__isnull=False)
    for item in answered.order_by("position")[:1]:
        raise _error("answered", item=item.title[:40])
    counts = _items_replace(model=ChecklistItem, parent={"inspection": inspection}, existing=existing, items=items)
    log_action(inspection, actions.CHECKLIST_EDITED, user=acting_user, office=inspection.office, data=counts)
    return counts


def self_assessment_editable(obligation: Assignment | None) -> bool:
    return obligation is not None and obligation.state not in (Assignment.State.ACCEPTED, Assignment.State.WITHDRAWN)


@transaction.atomic
def self_assessment_save(*, inspection: Inspection, county, answers: dict[int, tuple[str, str]], acting_user) -> dict:
    """Save the county's answers (item id → (rating, account); an empty rating clears the
    item's answer), all of them or none, until its self-assessment is accepted."""
    obligation = self_assessment_of(inspection, county.pk)
    if obligation is None:
        raise _error("not_asked")
    obligation = Assignment.objects.select_for_update().get(pk=obligation.pk)
    if obligation.state == Assignment.State.ACCEPTED:
        raise _error("accepted")
    if obligation.state == Assignment.State.WITHDRAWN:
        raise _error("withdrawn")
    items = set(inspection.checklist.values_list("pk", flat=True))
    if set(answers) - items:
        raise _error("foreign_item")
    ratings = dict(ChecklistAnswer.Rating.choices)
    current = {answer.item_id: answer for answer in ChecklistAnswer.objects.filter(item_id__in=items, county=county)}
    now = timezone.now()
    user = acting_user if getattr(acting_user, "pk", None) else None
    added, changed, cleared = [], [], []
    for item_id, (rating, text) in answers.items():
        text = (text or "").strip()
        answer = current.get(item_id)
        if not rating:
            if answer is not None:
                cleared.append(answer.pk)
            continue
        if rating not in ratings:
            raise _error("rating", rating=rating)
        if answer is None:
            added.append(
                ChecklistAnswer(
                    item_id=item_id, county=county, rating=rating, text=text, updated_at=now, updated_by=user
                )
            )
        elif (answer.rating, answer.text) != (rating, text):
            answer.rating, answer.text, answer.updated_at, answer.updated_by = rating, text, now, user
            changed.append(answer)
    from simple_history.utils import bulk_create_with_history

    from supervision.history import bulk_update_with_history

    with acting_as(acting_user):
        ChecklistAnswer.objects.filter(pk__in=cleared).delete()
        bulk_create_with_history(added, ChecklistAnswer, batch_size=500, default_user=user)
        bulk_update_with_history(
            changed, ChecklistAnswer, ["rating", "text", "updated_at", "updated_by"], batch_size=500, acting_user=user
        )
    counts = {"added": len(added), "changed": len(changed), "cleared": len(cleared)}
    if any(counts.values()):
        answered = ChecklistAnswer.objects.filter(item_id__in=items, county=county).count()
        log_action(
            inspection,
            actions.SELF_ASSESSMENT_ANSWERED,
            user=acting_user,
            office=inspection.office,
            data={"county": county.pk, "county_name": county.name, "answered": answered, "items": len(items), **counts},
        )
    return counts
