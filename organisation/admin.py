"""Admin for the organisation area: divisions, offices, memberships and the official calendar,
for administrators only (organisation.apps lets only superusers in). Counties number in the
thousands, so every foreign key to a county, region or office is an autocomplete field."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from organisation.models import (
    County,
    CountyAlias,
    CountyContact,
    Membership,
    Office,
    OfficeAlias,
    OfficialCalendarDay,
    OfficialCalendarYear,
    Region,
)
from organisation.services.calendar import official_year_load, official_year_refresh
from organisation.services.contacts import county_contact_update
from schedule.holidays import HolidayNoticeError, parse_holiday_notice


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class CountyAliasInline(admin.TabularInline):
    model = CountyAlias
    extra = 0


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "code"]
    list_filter = ["kind", ("city__parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "city__name", "aliases__name"]
    autocomplete_fields = ["city"]
    list_select_related = ["city"]
    inlines = [CountyAliasInline]


@admin.register(CountyAlias)
class CountyAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "county"]
    search_fields = ["name", "county__name"]
    autocomplete_fields = ["county"]
    list_select_related = ["county"]


@admin.register(CountyContact)
class CountyContactAdmin(SimpleHistoryAdmin):
    """The contacts counties and the offices sending them work keep on the county's page, for an
    administrator setting up a county that has no one to keep them yet."""

    list_display = ["county", "name", "email", "phone", "updated_at", "updated_by"]
    search_fields = ["county__name", "county__city__name", "name", "email", "phone"]
    autocomplete_fields = ["county"]
    list_select_related = ["county__city", "updated_by"]
    fields = ["county", "name", "email", "phone", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # One record a county: the county is chosen once.
        return [*self.readonly_fields, "county"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Through the service the county page uses: who and when, and the history's author.
        saved = county_contact_update(
            county=obj.county, name=obj.name, email=obj.email, phone=obj.phone, acting_user=request.user
        )
        obj.pk = saved.pk


class OfficeAliasInline(admin.TabularInline):
    model = OfficeAlias
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region", "county", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "region__name", "county__name", "aliases__name"]
    autocomplete_fields = ["parent", "region", "county"]
    list_select_related = ["region", "county", "parent"]
    inlines = [OfficeAliasInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "office", "role", "user_actions"]
    list_filter = ["role", "office__level"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "office__name"]
    autocomplete_fields = ["user", "office"]
    list_select_related = ["user", "office"]

    @admin.display(description=_("actions"))
    def user_actions(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("plans:user_audit", args=[obj.user_id]), _("what they did"))


class OfficialCalendarDayInline(admin.TabularInline):
    model = OfficialCalendarDay
    fields = ["date", "kind", "name"]
    extra = 0


class OfficialCalendarYearForm(forms.ModelForm):
    notice_text = forms.CharField(
        label=_("Notice text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Paste the State Council's notice (国务院办公厅关于…年部分节假日安排的通知): saving replaces the "
            "year's days with the ones it gives. Leave it as it is to edit the days below by hand."
        ),
    )

    class Meta:
        model = OfficialCalendarYear
        fields = ["year", "notice_text"]

    def clean(self):
        cleaned = super().clean()
        self.notice = None
        text = (cleaned.get("notice_text") or "").strip()
        if text and "notice_text" in self.changed_data and cleaned.get("year"):
            try:
                self.notice = parse_holiday_notice(text, year=cleaned["year"])
            except HolidayNoticeError as error:
                self.add_error("notice_text", _(error.message) % error.params)
        return cleaned


@admin.register(OfficialCalendarYear)
class OfficialCalendarYearAdmin(admin.ModelAdmin):
    """Years of the official calendar: loaded from the notice's text, or their days edited by hand;
    either way the open assignments' due dates follow on save."""

    form = OfficialCalendarYearForm
    inlines = [OfficialCalendarDayInline]
    list_display = ["year", "source", "loaded_at", "loaded_by", "day_count"]
    readonly_fields = ["source", "loaded_at", "loaded_by"]
    ordering = ["-year"]

    @admin.display(description=_("days"))
    def day_count(self, obj):
        return obj.days.count()

    def get_readonly_fields(self, request, obj=None):
        # The year is what every day hangs on: a wrong one is deleted and added again.
        return self.readonly_fields + (["year"] if obj else [])

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj else []

    def save_model(self, request, obj, form, change):
        obj.loaded_at, obj.loaded_by = timezone.now(), request.user
        if not form.notice:
            obj.source = OfficialCalendarYear.Source.MANUAL
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        notice = form.notice
        if notice is None:
            super().save_related(request, form, formsets, change)
            result = official_year_refresh(year=form.instance.year, acting_user=request.user)
        else:
            # The notice's days replace the year's; what the inline held is not saved over them.
            result = official_year_load(
                year=form.instance.year,
                days_off=notice.days_off,
                working_days=notice.working_days,
                source=OfficialCalendarYear.Source.NOTICE,
                notice_text=form.cleaned_data["notice_text"],
                acting_user=request.user,
            )
        self.message_user(
            request,
            _(
                "%(year)d: %(off)d days off, %(working)d working days; %(moved)d due dates moved, "
                "%(kept)d moved by staff kept."
            )
            % {
                "year": result.year,
                "off": result.days_off,
                "working": result.working_days,
                "moved": result.due_dates_moved,
                "kept": result.due_dates_kept,
            },
            messages.SUCCESS,
        )
