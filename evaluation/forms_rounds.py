"""The rounds' forms: a round's facts, calendar, thresholds and participants; a participant's
sheet scored item by item (自评, 初评, 复核), each item's field as its scoring method asks."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import EvaluationRound, Indicator
from evaluation.scoring import CENT, ZERO
from evaluation.services.rounds import ScoreData, scale_scores

Method = Indicator.Method


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    counties = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The counties scored in this round (when it scores counties)."),
    )
    zones = forms.ModelMultipleChoiceField(
        label=_("Inspector zones"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When it scores inspector zones: the zones scored; each zone's county answers for it."),
    )
    schools = forms.ModelMultipleChoiceField(
        label=_("Schools"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("When it scores schools: the schools scored; each school's county answers for it."),
    )

    class Meta:
        model = EvaluationRound
        fields = [
            "title",
            "year",
            "sheet",
            "target",
            "self_assessment_due",
            "scoring_from",
            "scoring_until",
            "review_due",
            "publish_on",
            "objection_days",
            "excellent_min",
            "good_min",
            "pass_min",
            "previous",
        ]
        widgets = {
            "self_assessment_due": _date_input(),
            "scoring_from": _date_input(),
            "scoring_until": _date_input(),
            "review_due": _date_input(),
            "publish_on": _date_input(),
        }
        help_texts = {
            "excellent_min": _("A total at or above it is graded excellent (优秀)."),
            "good_min": _("A total at or above it is graded good (良好)."),
            "pass_min": _("A total at or above it passes (合格); below it fails (不合格)."),
            "previous": _("Last year's round of the same evaluation, for the comparison."),
        }

    def __init__(self, *args, office, sheets, counties, zones, schools, previous, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["sheet"].queryset = sheets
        self.fields["sheet"].empty_label = None
        self.fields["previous"].queryset = previous
        self.fields["counties"].queryset = counties
        self.fields["zones"].queryset = zones
        self.fields["zones"].label_from_instance = lambda zone: f"{zone.county.name} · {zone.name}"
        self.fields["schools"].queryset = schools
        self.fields["schools"].label_from_instance = lambda school: f"{school.county.name} · {school.name}"
        if self.instance.pk:
            rows = list(self.instance.participants.values_list("county_id", "zone_id", "school_id"))
            target = self.instance.target
            Target = EvaluationRound.Target
            self.initial["counties"] = [county for county, _z, _s in rows] if target == Target.COUNTY else []
            self.initial["zones"] = [zone for _c, zone, _s in rows if zone]
            self.initial["schools"] = [school for _c, _z, school in rows if school]
            if self.instance.status != EvaluationRound.Status.DRAFT:
                # The participants were asked: who takes part, the sheet and the date stay.
                for name in ("counties", "zones", "schools", "sheet", "self_assessment_due", "target"):
                    self.fields[name].disabled = True

    def _get_validation_exclusions(self):
        # The thresholds' and dates' order is checked in clean() with messages of its own;
        # the model's constraints would say it again in its words.
        return super()._get_validation_exclusions() | {"excellent_min", "good_min", "pass_min", "scoring_until"}

    def clean(self):
        cleaned = super().clean()
        excellent, good, passing = (cleaned.get(name) for name in ("excellent_min", "good_min", "pass_min"))
        if passing is not None and passing < 0:
            self.add_error("pass_min", _("A threshold is not negative."))
        if good is not None and passing is not None and good < passing:
            self.add_error("good_min", _("The threshold for good is at least the one for passing."))
        if excellent is not None and good is not None and excellent < good:
            self.add_error("excellent_min", _("The threshold for excellent is at least the one for good."))
        due, start, until = (
            cleaned.get("self_assessment_due"),
            cleaned.get("scoring_from"),
            cleaned.get("scoring_until"),
        )
        review, publish = cleaned.get("review_due"), cleaned.get("publish_on")
        if start and until and until < start:
            self.add_error("scoring_until", _("On-site scoring ends on or after the day it starts."))
        if due and start and start < due:
            self.add_error("scoring_from", _("On-site scoring starts after the self-assessment is due."))
        if review and until and review < until:
            self.add_error("review_due", _("The review is due after on-site scoring ends."))
        if publish and review and publish < review:
            self.add_error("publish_on", _("Publication comes after the review."))
        year, previous = cleaned.get("year"), cleaned.get("previous")
        if year and previous and previous.year >= year:
            self.add_error("previous", _("The previous round is of an earlier year."))
        return cleaned


class RoundMoveForm(forms.Form):
    to = forms.ChoiceField(choices=EvaluationRound.Status.choices)


def _choice_value(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(CENT))


class ScoreSheetForm(forms.Form):
    """A participant's scores on the sheet's scored items, one value and one text per item
    (and for 初评 the inspection cited). An item's value is asked as its method says: 0 or full
    for yes/no, a level for a scale, the points deducted for deductions, else the points."""

    def __init__(self, *args, lines, values, texts, text_label, value_label, inspections=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.scored and line.score is not None]
        self.inspections = inspections
        for line in self.lines:
            indicator, pk = line.indicator, line.indicator.pk
            self.fields[f"value_{pk}"] = _value_field(indicator, value_label, values.get(pk))
            self.fields[f"text_{pk}"] = forms.CharField(
                label=text_label, widget=forms.Textarea(attrs={"rows": 2}), required=False, initial=texts.get(pk, "")
            )
            if inspections is not None:
                self.fields[f"inspection_{pk}"] = forms.TypedChoiceField(
                    label=_("Inspection visited"),
                    choices=[("", _("— none —")), *[(i.pk, str(i.title)) for i in inspections]],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=line.score.inspection_id or "",
                )

    def rows(self):
        for line in self.lines:
            pk = line.indicator.pk
            inspection = self[f"inspection_{pk}"] if self.inspections is not None else None
            yield line, self[f"value_{pk}"], self[f"text_{pk}"], inspection

    def entries(self) -> dict[int, ScoreData]:
        found = {}
        for line in self.lines:
            indicator, pk = line.indicator, line.indicator.pk
            raw = self.cleaned_data.get(f"value_{pk}")
            found[pk] = ScoreData(
                value=_value_of(indicator, raw),
                text=self.cleaned_data.get(f"text_{pk}", ""),
                inspection_id=self.cleaned_data.get(f"inspection_{pk}") if self.inspections is not None else None,
            )
        return found


def _value_field(indicator: Indicator, label, value: Decimal | None) -> forms.Field:
    points = indicator.points
    if indicator.method == Method.YES_NO:
        return forms.ChoiceField(
            label=label,
            choices=[("", _("— not scored —")), ("0.00", _("Not met: 0")), (_choice_value(points), _("Met: full"))],
            required=False,
            initial=_choice_value(value),
        )
    if indicator.method == Method.SCALE and scale_scores(indicator):
        return forms.ChoiceField(
            label=label,
            choices=[("", _("— not scored —"))]
            + [(_choice_value(score), f"{level} · {score}") for level, score in scale_scores(indicator)],
            required=False,
            initial=_choice_value(value),
        )
    if indicator.method == Method.DEDUCTION:
        return forms.DecimalField(
            label=_("Points deducted"),
            min_value=ZERO,
            max_digits=7,
            decimal_places=2,
            required=False,
            initial=None if value is None else points - value,
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        )
    return forms.DecimalField(
        label=label,
        min_value=ZERO,
        max_value=points,
        max_digits=7,
        decimal_places=2,
        required=False,
        initial=value,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": str(points)}),
    )


def _value_of(indicator: Indicator, raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    if indicator.method == Method.DEDUCTION:
        # Deductions stop at nothing left (扣完为止).
        return max(indicator.points - Decimal(raw), ZERO).quantize(CENT)
    return Decimal(raw).quantize(CENT)
