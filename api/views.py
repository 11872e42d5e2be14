"""The API's endpoints. Each list is the queryset of what the user may read, by the same named
rules the pages scope by (plans.permissions, tracking.permissions, inspections.permissions);
a record outside it answers 404, as the pages do. Writes go through the areas' services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api import filters, serializers
from inspections.models import Inspection, Rectification
from inspections.permissions import inspection_ids_listed, rectifications_listed_q
from organisation.models import County
from plans.models import ScheduleEntry, Task
from plans.permissions import counties_readable_q
from plans.selectors.plans import work_plan_visible
from tracking.models import Assignment, EvidenceFile, ProgressReport
from tracking.permissions import assignments_visible_q
from tracking.selectors.tracking import assignment_get
from tracking.services.reports import report_submit


def _where(queryset, q):
    return queryset if q is None else queryset.filter(q)


class _ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    # Ids are numbers: anything else is not a URL of the API (404 before any view runs).
    lookup_value_regex = "[0-9]+"


def _county_ids():
    return Prefetch("counties", queryset=County.objects.only("id").order_by("pk"), to_attr="county_list")


class PlanViewSet(_ReadOnlyViewSet):
    """Work plans (工作要点): a user's own office's in every state, other offices' once issued."""

    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter

    def get_queryset(self):
        return (
            work_plan_visible(user=self.request.user)
            .select_related("office")
            .defer("notice_text", "preamble", "notes", "imprint", "recipients", "cc", "search_grams")
        )


def _visible_plan_ids(user):
    return work_plan_visible(user=user).order_by().values("pk")


class TaskViewSet(_ReadOnlyViewSet):
    """The numbered tasks of the plans the user reads, with the counties each names."""

    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter

    def get_queryset(self):
        return (
            Task.objects.filter(plan_id__in=_visible_plan_ids(self.request.user))
            .defer("search_grams")
            .prefetch_related(_county_ids())
        )


class ScheduleEntryViewSet(_ReadOnlyViewSet):
    """The calendar lines (工作月历) of the plans the user reads, with the counties each names."""

    serializer_class = serializers.ScheduleEntrySerializer
    filterset_class = filters.ScheduleEntryFilter

    def get_queryset(self):
        return ScheduleEntry.objects.filter(plan_id__in=_visible_plan_ids(self.request.user)).prefetch_related(
            _county_ids()
        )


class CountyViewSet(_ReadOnlyViewSet):
    """Counties: every one for bureau staff, a county office's own for it."""

    serializer_class = serializers.CountySerializer
    filterset_class = filters.CountyFilter

    def get_queryset(self):
        return _where(County.objects.select_related("city"), counties_readable_q(self.request.user))


class ObligationViewSet(_ReadOnlyViewSet):
    """What counties owe (plan work, self-assessments, 整改 items, visits): the issuing office's
    staff read theirs, a county office its own. A county reports on one with POST …/reports/."""

    serializer_class = serializers.ObligationSerializer
    filterset_class = filters.ObligationFilter

    def get_queryset(self):
        return _where(Assignment.objects.all(), assignments_visible_q(self.request.user))

    @extend_schema(request=serializers.ReportCreateSerializer, responses={201: serializers.ReportSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def reports(self, request, pk=None):
        """报送: a report with its evidence files (multipart, `files` repeated), checked as the
        portal's form is. The same `submission_key` sent again answers with the stored report."""
        assignment = assignment_get(pk=int(pk), user=request.user)
        if assignment is None:
            raise exceptions.NotFound
        if not request.user.has_perm("tracking.report_assignment", assignment):
            raise exceptions.PermissionDenied
        sent = serializers.ReportCreateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        try:
            report = report_submit(assignment=assignment, acting_user=request.user, **sent.validated_data)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}, code=exc.code) from None
        report.evidence_list = list(report.evidence.order_by("pk"))
        return Response(
            serializers.ReportSerializer(report).data,
            status=status.HTTP_200_OK if report.is_repeat else status.HTTP_201_CREATED,
        )


class ReportViewSet(_ReadOnlyViewSet):
    """Progress reports (进展报告) on the obligations the user reads, with their evidence."""

    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter

    def get_queryset(self):
        return _where(
            ProgressReport.objects.all(), assignments_visible_q(self.request.user, prefix="assignment__")
        ).prefetch_related(Prefetch("evidence", queryset=EvidenceFile.objects.order_by("pk"), to_attr="evidence_list"))


class InspectionViewSet(_ReadOnlyViewSet):
    """Inspections (督导检查): the office's, its province's, a county's once announced."""

    serializer_class = serializers.InspectionSerializer
    filterset_class = filters.InspectionFilter

    def get_queryset(self):
        listed = inspection_ids_listed(self.request.user)
        inspections = Inspection.objects.defer("description")
        return inspections if listed is None else inspections.filter(pk__in=listed)


class RectificationViewSet(_ReadOnlyViewSet):
    """整改 items: the issuing office's, its province's, and those issued to a county."""

    serializer_class = serializers.RectificationSerializer
    filterset_class = filters.RectificationFilter

    def get_queryset(self):
        return _where(Rectification.objects.all(), rectifications_listed_q(self.request.user))
