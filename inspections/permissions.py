"""Who reads and keeps the register (built on organisation.access's memberships): a county's
office keeps its own county's schools, inspectors and zones; a city office's editors and
reviewers keep those of the counties of their city, its viewers read them; a provincial office's
staff read their province's; administrators keep all. The lists are scoped here only
(`register_counties_q`), so that no selector or view restates the rules."""

from dataclasses import dataclass

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q

from organisation.access import access_for, edits_in_office, edits_somewhere, is_admin
from organisation.models import Membership, Office
from supervision.lookups import InArray
from supervision.prepared import Prepared

_CACHE = "_inspections_scope"


@dataclass(frozen=True)
class RegisterScope:
    """The counties whose register a user reads and keeps: by county, by city, by province."""

    everything: bool = False
    counties: frozenset[int] = frozenset()
    cities: frozenset[int] = frozenset()
    provinces: frozenset[int] = frozenset()
    edit_counties: frozenset[int] = frozenset()
    edit_cities: frozenset[int] = frozenset()

    @property
    def edits_any(self) -> bool:
        return self.everything or bool(self.edit_counties or self.edit_cities)


def _scope_offices(*, office_ids: list[int]):
    return Office.objects.filter(InArray(F("pk"), office_ids)).values_list(
        "pk", "county_id", "region_id", "region__level"
    )


# Compiled once a process: every register page asks for the scope.
_scope_offices_read = Prepared(_scope_offices)


def register_scope(user) -> RegisterScope:
    """The user's scope, read in at most one query and kept on the user for the request."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return RegisterScope(everything=True)
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    counties, edit_counties = set(access.counties), set(access.counties)
    cities, edit_cities = set(), set()
    if access.offices:
        rows = _scope_offices_read(office_ids=sorted(access.offices))
        for office_id, county_id, region_id, region_level in rows:
            edits = access.offices[office_id] in Membership.EDITING_ROLES
            if county_id is not None:
                counties.add(county_id)
                if edits:
                    edit_counties.add(county_id)
            elif region_level == "city":
                cities.add(region_id)
                if edits:
                    edit_cities.add(region_id)
    scope = RegisterScope(
        counties=frozenset(counties),
        cities=frozenset(cities),
        provinces=frozenset(access.provinces),
        edit_counties=frozenset(edit_counties),
        edit_cities=frozenset(edit_cities),
    )
    if user is not None and user.is_authenticated:
        setattr(user, _CACHE, scope)
    return scope


def register_counties_q(user, *, edit: bool = False, prefix: str = "") -> Q:
    """The counties whose register `user` reads (or, with `edit`, keeps), as a filter on County
    or, through `prefix` ("county__"), on what belongs to a county. Nothing for a stranger."""
    scope = register_scope(user)
    if scope.everything:
        return Q()
    counties = scope.edit_counties if edit else scope.counties
    cities = scope.edit_cities if edit else scope.cities
    where = Q(**{f"{prefix}{'id' if prefix else 'pk'}__in": sorted(counties)})
    if cities:
        where |= Q(**{f"{prefix}city_id__in": sorted(cities)})
    if not edit and scope.provinces:
        where |= Q(**{f"{prefix}city__parent_id__in": sorted(scope.provinces)})
    return where


def register_reader(user) -> dict:
    """What of `user` decides the registers they read, as `register_reader_q` takes it (and a
    prepared read, supervision.prepared: a bool and lists of ids)."""
    scope = register_scope(user)
    return {
        "everything": scope.everything,
        "county_ids": sorted(scope.counties),
        "city_ids": sorted(scope.cities),
        "province_ids": sorted(scope.provinces),
    }


def register_reader_q(
    *, everything: bool, county_ids: list[int], city_ids: list[int], province_ids: list[int], prefix: str = ""
) -> Q:
    """`register_counties_q` of a `register_reader`, each list one array (InArray)."""
    if everything:
        return Q()
    where = Q(InArray(F(f"{prefix}id" if prefix else "pk"), county_ids))
    if city_ids:
        where |= Q(InArray(F(f"{prefix}city_id"), city_ids))
    if province_ids:
        where |= Q(InArray(F(f"{prefix}city__parent_id"), province_ids))
    return where


def _county_in(scope: RegisterScope, county, *, edit: bool) -> bool:
    if county is None:
        return False
    if scope.everything:
        return True
    if county.pk in (scope.edit_counties if edit else scope.counties):
        return True
    if county.city_id in (scope.edit_cities if edit else scope.cities):
        return True
    return not edit and bool(scope.provinces) and county.city.parent_id in scope.provinces


def county_of(obj):
    """The county a register record belongs to (a County is its own)."""
    return obj if obj is None or obj.__class__.__name__ == "County" else obj.county


@rules.predicate
def reads_register(user) -> bool:
    # Every member reads some county's register (their county, city or province): asked from the
    # memberships already read, as the menu asks it on every page.
    return access_for(user).is_member


@rules.predicate
def keeps_register(user) -> bool:
    return register_scope(user).edits_any


@rules.predicate
def reads_county_register(user, obj) -> bool:
    return _county_in(register_scope(user), county_of(obj), edit=False)


@rules.predicate
def keeps_county_register(user, obj) -> bool:
    return _county_in(register_scope(user), county_of(obj), edit=True)


# The register's pages and menu link; then one record (a school, inspector, zone or county).
rules.add_perm("inspections.view_register", is_admin | reads_register)
rules.add_perm("inspections.edit_register", is_admin | keeps_register)
rules.add_perm("inspections.view_county_register", is_admin | reads_county_register)
rules.add_perm("inspections.change_county_register", is_admin | keeps_county_register)


# --- Inspections ------------------------------------------------------------------------------
# Who reads and carries out an inspection: the issuing office's staff (its editors and reviewers
# run it, its viewers read it), the team's members with an account (directly or as a 督学: they
# record findings), the counties it visits (their own part only, once it is announced: an
# unannounced check, 暗访, only once it is over), the provincial office over the issuing office,
# and administrators. The pages of the county side read `inspection_counties_shown`.

_ANNOUNCED = ("self_assessment", "on_site", "rectification", "closed")
_OVER = ("rectification", "closed")


def inspections_listed_q(user) -> Q | None:
    """The inspections `user` reads, as a filter on Inspection (None: every one). The filter may
    join the office's region: list through `pk__in`."""
    return readable_inspections_q(**inspection_reader(user))


def inspection_reader(user) -> dict:
    """What of `user` decides which inspections they read, as `readable_inspections_q` takes it
    (and a prepared read, supervision.prepared: bools, lists of ids and an id)."""
    access = access_for(user)
    return {
        "everyone": access.superuser and user.is_active,
        "nobody": not access.is_member and not _is_inspector(user),
        "office_ids": sorted(access.offices),
        "county_ids": sorted(access.counties),
        "province_ids": sorted(access.provinces),
        "user_id": user.pk if user.is_authenticated else None,
    }


def readable_inspections_q(
    *,
    everyone: bool,
    nobody: bool,
    office_ids: list[int],
    county_ids: list[int],
    province_ids: list[int],
    user_id: int | None,
) -> Q | None:
    """`inspections_listed_q` of an `inspection_reader`."""
    if everyone:
        return None
    if nobody:
        return Q(pk__in=[])
    where = Q()
    for part in _readable_parts(office_ids, county_ids, province_ids, user_id):
        where |= part
    return where


def _readable_parts(office_ids: list[int], county_ids: list[int], province_ids: list[int], user_id: int | None):
    """The filters on Inspection whose union a reader reads: the offices', the counties', the
    provinces' and the team's."""
    from inspections.models import Inspection, InspectionMember

    # The counties' and the team's parts as subqueries of ids, not joins: ORed with the office's,
    # joins would be read whole (every team member and 督学 of the country) before the filter.
    parts = [Q(InArray(F("office_id"), office_ids))]
    if county_ids:
        announced = Q(status__in=_ANNOUNCED) & ~Q(kind="random") | Q(status__in=_OVER)
        visited = Inspection.counties.through.objects.filter(InArray(F("county_id"), county_ids))
        parts.append(Q(pk__in=visited.values("inspection_id")) & announced)
    if province_ids:
        parts.append(
            Q(InArray(F("office__region_id"), province_ids)) | Q(InArray(F("office__region__parent_id"), province_ids))
        )
    if user_id is not None:
        # A member by account, or as a 督学 with one: two subqueries, each by its index (ORed in
        # one, PostgreSQL read every team member of the country).
        parts.append(Q(pk__in=InspectionMember.objects.filter(user_id=user_id).values("inspection_id")))
        parts.append(Q(pk__in=InspectionMember.objects.filter(inspector__user_id=user_id).values("inspection_id")))
    return parts


def _is_inspector(user) -> bool:
    return user.is_authenticated and getattr(user, "inspector", None) is not None


def inspection_ids_listed(user):
    """The inspections `user` reads as a subquery of ids (None: every one)."""
    return readable_inspection_ids(**inspection_reader(user))


def readable_inspection_ids(**reader):
    """`readable_inspections_q` of an `inspection_reader` as a subquery of ids (None: every one):
    the union of each part's ids. ORed in one filter, the parts could use no index: PostgreSQL
    read every inspection of the country and joined a list's page by hashing them all (3.3 ms
    against 0.4 for an office's list)."""
    from inspections.models import Inspection

    if reader["everyone"]:
        return None
    if reader["nobody"]:
        return Inspection.objects.none().values("pk")
    parts = _readable_parts(reader["office_ids"], reader["county_ids"], reader["province_ids"], reader["user_id"])
    first, *others = (Inspection.objects.filter(part).order_by().values("pk") for part in parts)
    return first.union(*others) if others else first


def _on_team(user, inspection) -> bool:
    if not user.is_authenticated:
        return False
    return inspection.team.filter(Q(user=user) | Q(inspector__user=user)).exists()


def inspection_counties_shown(user, inspection) -> set[int] | None:
    """The counties of `inspection` whose part `user` sees (None: every county's): a county's
    user sees only their own county's self-assessment, findings and 整改."""
    access = access_for(user)
    if access.superuser or inspection.office_id in access.offices or _on_team(user, inspection):
        return None
    if access.provinces and _oversees_office(access, inspection.office):
        return None
    return set(access.counties)


def _oversees_office(access, office) -> bool:
    region = office.region
    return region is not None and (region.pk in access.provinces or region.parent_id in access.provinces)


def _readable_inspection(*, pk: int, **reader):
    from inspections.models import Inspection

    inspections = Inspection.objects.filter(pk=pk)
    where = readable_inspections_q(**reader)
    if where is not None:
        inspections = inspections.filter(where)
    return inspections.values_list("pk", flat=True)[:1]


# Compiled once a process: every page of an inspection asks it.
_readable_inspection_read = Prepared(_readable_inspection)


@rules.predicate
def reads_inspection(user, inspection) -> bool:
    if inspection is None:
        return False
    reader = inspection_reader(user)
    if reader["everyone"]:
        return True
    return bool(_readable_inspection_read(pk=inspection.pk, **reader))


@rules.predicate
def runs_inspection(user, inspection) -> bool:
    """Its office's editors and reviewers: they edit it, move it on, issue 整改 and documents."""
    return inspection is not None and inspection.office_id in access_for(user).editing_offices


@rules.predicate
def records_findings(user, inspection) -> bool:
    """Who writes findings on site: those who run it, and its team's members with an account."""
    if inspection is None or inspection.status == "closed":
        return False
    return inspection.office_id in access_for(user).editing_offices or _on_team(user, inspection)


rules.add_perm("inspections.view_inspection", is_admin | reads_inspection)
rules.add_perm("inspections.run_inspection", is_admin | runs_inspection)
rules.add_perm("inspections.record_finding", is_admin | records_findings)


# --- Documents and dashboards -----------------------------------------------------------------
# Documents are issued by those who run the inspection (run_inspection) and read by those who
# read it, a county's user only the documents addressed to their own county (and not the
# 督导报告, which covers every county). An office's inspection dashboard is read by its staff,
# the provincial office over it and administrators.


def documents_listed_q(user, inspection) -> Q | None:
    """The documents of `inspection` that `user` (who reads the inspection) reads, as a filter
    on IssuedDocument (None: all of them)."""
    counties = inspection_counties_shown(user, inspection)
    return None if counties is None else Q(county_id__in=sorted(counties))


@rules.predicate
def reads_document(user, document) -> bool:
    if document is None or not reads_inspection(user, document.inspection):
        return False
    counties = inspection_counties_shown(user, document.inspection)
    return counties is None or document.county_id in counties


@rules.predicate
def reads_office_inspections(user, office) -> bool:
    if office is None:
        return False
    access = access_for(user)
    return office.pk in access.offices or bool(access.provinces) and _oversees_office(access, office)


rules.add_perm("inspections.view_document", is_admin | reads_document)
rules.add_perm("inspections.view_inspection_dashboard", is_admin | reads_office_inspections)


# The inspections' pages and menu link: every member reads some (their office's, their
# county's once announced, their province's), asked from the memberships already read.
@rules.predicate
def reads_inspections(user) -> bool:
    return access_for(user).is_member


@rules.predicate
def answers_self_assessment(user, obligation) -> bool:
    """The county asked: its users answer the checklist and report on it."""
    return obligation is not None and obligation.county_id in access_for(user).counties


def inspection_offices_run(user) -> list[int] | None:
    """The offices whose inspections `user` creates and runs, and whose checklist templates
    they keep (None: every office)."""
    access = access_for(user)
    if access.superuser and user.is_active:
        return None
    return access.editing_offices


rules.add_perm("inspections.list_inspections", is_admin | reads_inspections)
rules.add_perm("inspections.create_inspection", is_admin | edits_somewhere)
rules.add_perm("inspections.edit_checklist_template", is_admin | edits_in_office)
rules.add_perm("inspections.answer_self_assessment", answers_self_assessment)
# --- Findings and rectification ---------------------------------------------------------------
# A finding is read as its source is: an inspection's by those who read the inspection (a
# county its own county's only), a 挂牌督导 visit's by its inspector and those who read the
# county's register. A 整改 item is read by its issuing office, the county it is issued to and
# whoever reads its finding; the office's editors and reviewers issue, remind, escalate and put
# it on a follow-up check; the follow-up check's team confirms it on site.


def _is_visit_inspector(user, visit) -> bool:
    return user.is_authenticated and visit.inspector.user_id == user.pk


def works_on_inspections(user) -> bool:
    """A member of an office, or a 督学 with an account: who may open the findings pages at all
    (each page then asks its own rule)."""
    return access_for(user).is_member or _is_inspector(user)


@rules.predicate
def records_visit_findings(user, visit) -> bool:
    """The visit's inspector, and those who keep the register of the school's county (its county
    office, the city office's editors and reviewers)."""
    if visit is None:
        return False
    return _is_visit_inspector(user, visit) or _county_in(register_scope(user), visit.school.county, edit=True)


@rules.predicate
def reads_finding(user, finding) -> bool:
    if finding is None:
        return False
    if finding.inspection_id is not None:
        if not reads_inspection(user, finding.inspection):
            return False
        shown = inspection_counties_shown(user, finding.inspection)
        return shown is None or finding.county_id in shown
    return _is_visit_inspector(user, finding.visit) or _county_in(register_scope(user), finding.county, edit=False)


def rectification_offices(user, finding) -> list[int]:
    """The offices in whose name `user` issues 整改 for `finding`: an inspection's office; for a
    visit's finding, the offices over the school's county where the user edits (its county
    office, its city office)."""
    access = access_for(user)
    if finding.inspection_id is not None:
        office_id = finding.inspection.office_id
        return [office_id] if access.superuser or office_id in access.editing_offices else []
    county = finding.county
    offices = Office.objects.filter(Q(county_id=county.pk) | Q(region_id=county.city_id, county=None))
    if not access.superuser:
        offices = offices.filter(pk__in=access.editing_offices)
    return list(offices.order_by("pk").values_list("pk", flat=True))


@rules.predicate
def issues_rectification(user, finding) -> bool:
    if finding is None:
        return False
    if finding.inspection_id is not None:
        return runs_inspection(user, finding.inspection)
    return bool(rectification_offices(user, finding))


def rectification_reader(user) -> dict:
    """What of `user` decides which 整改 items they read, as `rectifications_readable_q` takes it
    (and a prepared read, supervision.prepared: a bool and lists of ids)."""
    access = access_for(user)
    return {
        "everyone": access.superuser and user.is_active,
        "office_ids": sorted(access.offices),
        "county_ids": sorted(access.counties),
        "province_ids": sorted(access.provinces),
    }


def rectifications_readable_q(
    *, everyone: bool, office_ids: list[int], county_ids: list[int], province_ids: list[int]
) -> Q | None:
    """`rectifications_listed_q` of a `rectification_reader`."""
    if everyone:
        return None
    where = Q(InArray(F("office_id"), office_ids)) | Q(InArray(F("county_id"), county_ids))
    if province_ids:
        where |= Q(InArray(F("office__region_id"), province_ids)) | Q(
            InArray(F("office__region__parent_id"), province_ids)
        )
    return where


def rectifications_listed_q(user) -> Q | None:
    """The 整改 items `user` reads, as a filter on Rectification (None: every one): those of their
    offices, of the provinces they oversee, and those issued to their counties."""
    return rectifications_readable_q(**rectification_reader(user))


def list_offices_q(*, everyone: bool, office_ids: list[int]) -> Q | None:
    """The offices whose 整改 lists a user opens (of their `rectification_reader`), as a filter on
    Office (None: every one): the offices they are staff of."""
    return None if everyone else Q(InArray(F("pk"), office_ids))


@rules.predicate
def reads_rectification(user, rectification) -> bool:
    if rectification is None:
        return False
    access = access_for(user)
    if rectification.office_id in access.offices or rectification.county_id in access.counties:
        return True
    if access.provinces and _oversees_office(access, rectification.office):
        return True
    return reads_finding(user, rectification.finding)


@rules.predicate
def manages_rectification(user, rectification) -> bool:
    """The issuing office's editors and reviewers: remind, escalate, send to a follow-up check."""
    return rectification is not None and rectification.office_id in access_for(user).editing_offices


@rules.predicate
def lists_rectification(user) -> bool:
    return access_for(user).is_bureau_staff


rules.add_perm("inspections.record_visit_finding", is_admin | records_visit_findings)
rules.add_perm("inspections.view_finding", is_admin | reads_finding)
rules.add_perm("inspections.issue_rectification", is_admin | issues_rectification)
rules.add_perm("inspections.view_rectification_list", is_admin | lists_rectification)
rules.add_perm("inspections.view_rectification", is_admin | reads_rectification)
rules.add_perm("inspections.manage_rectification", is_admin | manages_rectification)


# --- 挂牌督导 visits ------------------------------------------------------------------------------
# A 督学 with an account (Inspector.user) signs in to their own page: the schools they are the
# present responsible inspector of, and their visits. They record visits to those schools only,
# and read their own visits; the county's register readers read every visit of the county, its
# keepers set the visit rhythm. A 督学 needs no membership for this, and gets nothing else.


def inspector_of(user):
    """The active 督学 `user` signs in as, or None (read once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        inspector = user.inspector
    except ObjectDoesNotExist:
        return None
    return inspector if inspector.is_active else None


@rules.predicate
def is_inspector(user) -> bool:
    return inspector_of(user) is not None


@rules.predicate
def is_member(user) -> bool:
    return access_for(user).is_member


@rules.predicate
def records_visit(user, school) -> bool:
    """The school's present responsible inspector, while the school is open."""
    inspector = inspector_of(user)
    if inspector is None or school is None or school.status != "open":
        return False
    from inspections.models import ZoneAssignment

    return ZoneAssignment.objects.filter(school=school, ended_on=None, inspector=inspector).exists()


@rules.predicate
def reads_visit(user, visit) -> bool:
    if visit is None:
        return False
    inspector = inspector_of(user)
    if inspector is not None and visit.inspector_id == inspector.pk:
        return True
    return _county_in(register_scope(user), visit.school.county, edit=False)


def visits_listed_q(user, *, prefix: str = "") -> Q:
    """The visits `user` reads, as a filter on Visit (or through `prefix`): their own as a 督学,
    and those to the schools of the counties whose register they read."""
    where = register_counties_q(user, prefix=f"{prefix}school__county__")
    if register_scope(user).everything:
        return where
    inspector = inspector_of(user)
    if inspector is not None:
        where |= Q(**{f"{prefix}inspector_id": inspector.pk})
    return where


# Rules, not permissions: Django answers every permission of a superuser with yes, and an
# administrator is nobody's 督学.
rules.add_rule("inspections.is_inspector", is_inspector)
rules.add_rule("inspections.records_visit", records_visit)
rules.add_perm("inspections.view_visit", is_admin | reads_visit)
rules.add_perm("inspections.set_visit_rhythm", is_admin | keeps_county_register)
# The menu and the landing page: a 督学 without a role in any office has their own page only.
# Members are answered from the memberships every page reads already, before the 督学 is asked.
rules.add_rule("inspections.inspector_only", ~is_admin & ~is_member & is_inspector)
