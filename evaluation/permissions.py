"""Who does what in the evaluation work.

- An office's editors and reviewers keep its indicator sheets and rounds, and score (初评);
  its reviewers review (复核), publish and correct the results, and answer objections.
- An office's staff (any bureau role) and the province above it read its rounds and results.
- A county's users answer their self-assessment (the obligation in their portal), read their
  own sheet and rank once the results are published, and raise objections within the window.
"""

import rules
from django.db.models import F, Q

from organisation.access import access_for, edits_in_office, edits_somewhere, is_admin, is_bureau_staff
from organisation.models import Membership
from supervision.localtime import site_today
from supervision.lookups import InArray
from supervision.prepared import Prepared

REVIEWER = Membership.Role.REVIEWER


def _office_id(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "office_id", None)


def _oversees(access, office) -> bool:
    region = office.region
    return region is not None and (region.pk in access.provinces or region.parent_id in access.provinces)


@rules.predicate
def keeps_evaluation(user, obj) -> bool:
    """`obj` (a sheet or a round) is kept by its office's editors and reviewers."""
    return _office_id(obj) in access_for(user).editing_offices


@rules.predicate
def reviews_evaluation(user, round_) -> bool:
    """The office's reviewers: 复核, publication, corrections and answers to objections."""
    return round_ is not None and access_for(user).offices.get(round_.office_id) == REVIEWER


@rules.predicate
def reads_evaluation(user, obj) -> bool:
    """The office's staff, and those who oversee its province."""
    if obj is None:
        return False
    access = access_for(user)
    if _office_id(obj) in access.offices:
        return True
    return bool(access.provinces) and _oversees(access, obj.office)


@rules.predicate
def is_participant_county(user, participant) -> bool:
    return participant is not None and participant.county_id in access_for(user).counties


@rules.predicate
def reads_participant(user, participant) -> bool:
    """Its round's readers; its county's users (their own sheet; the final scores and rank
    only once published: the pages show what the stage allows)."""
    if participant is None:
        return False
    return is_participant_county(user, participant) or reads_evaluation(user, participant.round)


@rules.predicate
def objects_to(user, participant) -> bool:
    """The county's users, while the round's objection window is open."""
    round_ = participant.round if participant is not None else None
    return (
        is_participant_county(user, participant)
        and round_.is_published
        and round_.objection_until is not None
        and site_today() <= round_.objection_until
    )


def rounds_listed_q(user) -> Q | None:
    """The rounds `user` lists (None: every round): their offices' rounds and those of the
    offices they oversee; a county's users the published rounds they take part in."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    where = Q(office_id__in=list(access.offices))
    if access.provinces:
        where |= Q(office__region_id__in=list(access.provinces)) | Q(
            office__region__parent_id__in=list(access.provinces)
        )
    if access.counties:
        where |= Q(participants__county_id__in=list(access.counties))
    return where


def sheets_listed_q(user) -> Q | None:
    """The indicator sheets `user` lists (None: every sheet): their offices' and those of the
    offices they oversee. A county's users list none (they meet the items in their rounds)."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    where = Q(office_id__in=list(access.offices))
    if access.provinces:
        where |= Q(office__region_id__in=list(access.provinces)) | Q(
            office__region__parent_id__in=list(access.provinces)
        )
    return where


@rules.predicate
def reads_evaluations(user) -> bool:
    return access_for(user).is_member


rules.add_perm("evaluation.list_rounds", is_admin | reads_evaluations)
rules.add_perm("evaluation.create", is_admin | edits_somewhere)
rules.add_perm("evaluation.list_sheets", is_admin | is_bureau_staff)
rules.add_perm("evaluation.keep", is_admin | keeps_evaluation)
rules.add_perm("evaluation.keep_office", is_admin | edits_in_office)
rules.add_perm("evaluation.review", is_admin | reviews_evaluation)
rules.add_perm("evaluation.view", is_admin | reads_evaluation)
rules.add_perm("evaluation.view_participant", is_admin | reads_participant)
rules.add_perm("evaluation.self_assess", is_participant_county)
rules.add_perm("evaluation.object", objects_to)


# --- Rounds ------------------------------------------------------------------------------------


def round_offices_kept(user) -> list[int] | None:
    """The offices whose rounds `user` creates and keeps (None: every office)."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    return access.editing_offices


def counties_of_user(user) -> frozenset[int]:
    """The counties whose users `user` is one of (their self-assessments)."""
    return access_for(user).counties


def _participants_of(*, round_id: int, county_ids: list[int]):
    from evaluation.models import Participant

    return Participant.objects.filter(InArray(F("county_id"), county_ids), round_id=round_id).values_list(
        "pk", flat=True
    )[:1]


# Compiled once a process: a county user's sheet and results pages ask it.
_participants_of_read = Prepared(_participants_of)


@rules.predicate
def reads_published_ranking(user, round_) -> bool:
    """A county taking part reads the published ranking: it is announced (通报) to them all."""
    if round_ is None or not round_.is_published:
        return False
    counties = access_for(user).counties
    return bool(counties) and bool(_participants_of_read(round_id=round_.pk, county_ids=sorted(counties)))


rules.add_perm("evaluation.view_results", is_admin | reads_evaluation | reads_published_ranking)
