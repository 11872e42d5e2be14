"""The evaluation work is kept through its own pages (which log every step); the admin reads it,
for support, and changes nothing a page would not."""

from django.contrib import admin

from evaluation.models import EvaluationRound, IndicatorSheet, Objection, Participant


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IndicatorSheet)
class IndicatorSheetAdmin(_ReadOnly):
    list_display = ["title", "year", "office", "created_at"]
    list_filter = ["year"]
    list_select_related = ["office"]
    search_fields = ["title", "office__name"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(_ReadOnly):
    list_display = ["title", "year", "office", "target", "status", "revision", "published_at"]
    list_filter = ["status", "target", "year"]
    list_select_related = ["office"]
    search_fields = ["title", "office__name"]


@admin.register(Participant)
class ParticipantAdmin(_ReadOnly):
    list_display = ["__str__", "round", "total", "grade", "rank", "vetoed"]
    list_filter = ["grade", "vetoed"]
    list_select_related = ["round", "county", "zone", "school"]
    search_fields = ["county__name", "round__title"]


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = ["participant", "raised_at", "outcome", "answered_at"]
    list_filter = ["outcome"]
    list_select_related = ["participant__county", "participant__round"]
