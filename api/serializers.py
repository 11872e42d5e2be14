"""What the API answers with: the records as the pages show them, ids for what they point at."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspections.models import Inspection, Rectification
from organisation.models import County
from plans.models import ScheduleEntry, Task, WorkPlan
from tracking.models import Assignment, EvidenceFile, ProgressReport


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class _IdList(serializers.ReadOnlyField):
    """The ids of a prefetched many-to-many (a `to_attr` list), without a query per row."""

    def to_representation(self, value):
        return [item.pk for item in value]


class PlanSerializer(serializers.ModelSerializer):
    office_name = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = WorkPlan
        fields = [
            "id",
            "office",
            "office_name",
            "title",
            "doc_number",
            "issue_date",
            "plan_year",
            "status",
            "version",
            "revision",
            "revision_of",
            "published_at",
            "archived_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    counties = _IdList(source="county_list")

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "number",
            "label",
            "title",
            "text",
            "lead_unit",
            "addresses_all_counties",
            "counties",
        ]


class ScheduleEntrySerializer(serializers.ModelSerializer):
    counties = _IdList(source="county_list")

    class Meta:
        model = ScheduleEntry
        fields = [
            "id",
            "plan",
            "task",
            "position",
            "period",
            "start_month",
            "end_month",
            "granularity",
            "deadline_day",
            "text",
            "lead_unit",
            "counties",
        ]


class CountySerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)

    class Meta:
        model = County
        fields = ["id", "code", "name", "kind", "city", "city_name"]


class ObligationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = [
            "id",
            "kind",
            "office",
            "year",
            "plan",
            "task",
            "entry",
            "county",
            "label",
            "occurrence",
            "state",
            "progress",
            "due_date",
            "due_date_reason",
            "created_at",
            "acknowledged_at",
            "closed_at",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "sha256", "url"]

    def get_url(self, evidence) -> str:
        # The download page, which checks again who reads it.
        return reverse("tracking:evidence_download", args=[evidence.pk])


class ReportSerializer(serializers.ModelSerializer):
    obligation = serializers.IntegerField(source="assignment_id", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True, source="evidence_list")

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "obligation",
            "progress",
            "text",
            "author",
            "created_at",
            "review",
            "reviewed_at",
            "review_comment",
            "evidence",
        ]


class ReportCreateSerializer(serializers.Serializer):
    """What a county sends: the checks of the account and the files are tracking's own
    (tracking.services.reports.report_submit), not repeated here."""

    progress = serializers.ChoiceField(choices=ProgressReport.Progress.choices)
    text = serializers.CharField(trim_whitespace=True)
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)
    # The same key sent again (a retry) answers with the report already stored.
    submission_key = serializers.UUIDField(required=False, allow_null=True)


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "office",
            "year",
            "kind",
            "title",
            "status",
            "starts_on",
            "ends_on",
            "self_assessment_due",
            "created_at",
            "closed_at",
        ]


class RectificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rectification
        fields = [
            "id",
            "office",
            "county",
            "year",
            "finding",
            "requirement",
            "done_when",
            "needs_follow_up",
            "confirmed_by",
            "confirmed_at",
            "escalation",
            "escalated_at",
            "created_at",
        ]
