"""Who does what with bulletins: the office's editors and reviewers draft, edit and submit them
and keep the office's paragraph templates; its reviewers issue them; its staff read them all;
a county's users read the issued bulletins that name their county."""

import rules
from django.db.models import Q

from organisation.access import access_for, edits_in_office, edits_somewhere, is_admin
from organisation.models import Membership

REVIEWER = Membership.Role.REVIEWER


@rules.predicate
def keeps_bulletin(user, bulletin) -> bool:
    return bulletin is not None and bulletin.office_id in access_for(user).editing_offices


@rules.predicate
def issues_bulletin(user, bulletin) -> bool:
    return bulletin is not None and access_for(user).offices.get(bulletin.office_id) == REVIEWER


@rules.predicate
def is_draft(user, bulletin) -> bool:
    return bulletin is not None and bulletin.status != bulletin.Status.ISSUED


@rules.predicate
def reads_bulletin(user, bulletin) -> bool:
    if bulletin is None:
        return False
    access = access_for(user)
    if bulletin.office_id in access.offices:
        return True
    return (
        bulletin.is_issued
        and bool(access.counties)
        and bulletin.named_counties.filter(pk__in=sorted(access.counties)).exists()
    )


@rules.predicate
def reads_bulletins(user) -> bool:
    return access_for(user).is_member


def bulletins_listed_q(user) -> Q | None:
    """The bulletins `user` lists (None: all): their offices' in every state, and the issued
    ones that name their county."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    where = Q(office_id__in=sorted(access.offices))
    if access.counties:
        where |= Q(status="issued", named_counties__in=sorted(access.counties))
    return where


rules.add_perm("bulletins.list", is_admin | reads_bulletins)
rules.add_perm("bulletins.create", is_admin | edits_somewhere)
rules.add_perm("bulletins.keep_office", is_admin | edits_in_office)
rules.add_perm("bulletins.view", is_admin | reads_bulletin)
rules.add_perm("bulletins.edit", (is_admin | keeps_bulletin) & is_draft)
rules.add_perm("bulletins.issue", (is_admin | issues_bulletin) & is_draft)
