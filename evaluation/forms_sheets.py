"""The indicator sheet forms: a sheet's particulars, an upload, a copy, and the formset that edits
every indicator at once (the outline given by the rows' order and levels)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator
from evaluation.sheet_import import MESSAGES, Row, headings_fill, parents_of, scale_parse, scale_text, scored_flags

LEVELS = [(1, _("Level 1")), (2, _("Level 2")), (3, _("Level 3"))]
YEARS = {"min_value": 2000, "max_value": 2100}


class SheetEditForm(forms.Form):
    """A sheet's title and note (a plain form: the service checks the title is free, in the same
    words for a new sheet, an import and a copy)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SheetCopyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), **YEARS)


class SheetForm(forms.Form):
    """A new sheet: its office (among those the user keeps), title, year and note."""

    office = forms.ModelChoiceField(label=_("office"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), **YEARS)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class SheetImportForm(SheetForm):
    file = forms.FileField(label=_("Workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class IndicatorForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int, initial=3)
    code = forms.CharField(label=_("Number"), max_length=16, required=False)
    title = forms.CharField(label=_("Indicator"), max_length=500, required=False)
    points = forms.DecimalField(
        label=_("Points"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        error_messages={
            "invalid": _("Write the points as a number, as 10 or 7.5."),
            "max_decimal_places": _("Points have at most two decimal places."),
            "max_digits": _("Points have at most 5 digits before the decimal point and 2 after it."),
            "max_whole_digits": _("Points have at most 5 digits before the decimal point and 2 after it."),
            "min_value": _("Points cannot be negative."),
        },
    )
    method = forms.ChoiceField(label=_("Scoring method"), choices=Indicator.Method.choices, initial="points")
    scale = forms.CharField(
        label=_("Scale levels"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "A=1, B=0.8, C=0.6"}),
    )
    rule = forms.CharField(label=_("Scoring rule"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.CharField(label=_("Evidence required"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    veto = forms.BooleanField(label=_("Veto item"), required=False)
    source = forms.ChoiceField(label=_("Filled from"), choices=Indicator.Source.choices, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("title", "").strip():
            self.add_error("title", _("Write the indicator, or tick “Remove”."))
        method, text = data.get("method"), data.get("scale", "")
        data["scale_levels"] = []
        if method == Indicator.Method.SCALE:
            try:
                data["scale_levels"] = scale_parse(text)
            except ValueError as wrong:
                code, params = wrong.args
                self.add_error("scale", gettext(MESSAGES[code]) % params)
        elif text.strip():
            self.add_error("scale", _("Scale levels are for the scale method only; clear them or choose “Scale”."))
        return data


class BaseIndicatorFormSet(forms.BaseFormSet):
    """The rows kept, in the order asked, must make an outline: a level 2 under a level 1, a
    level 3 under a level 2; a veto only on a scored item; a scored item with its points."""

    def kept_forms(self) -> list:
        return [form for form in self.ordered_forms if form.cleaned_data]

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        if not kept:
            raise forms.ValidationError(_("A sheet needs at least one indicator."), code="no_rows")
        levels = [form.cleaned_data["level"] for form in kept]
        try:
            parents_of(levels)
        except ValueError as wrong:
            index, level = wrong.args
            kept[index].add_error(
                "level",
                _("A level %(level)s indicator needs a level %(parent)s indicator above it.")
                % {"level": level, "parent": level - 1},
            )
            return
        for form, scored in zip(kept, scored_flags(levels), strict=True):
            data = form.cleaned_data
            if data.get("veto") and not scored:
                form.add_error("veto", _("Only a scored item can be a veto item; this row has items under it."))
            if scored and data.get("points") is None and not data.get("veto"):
                form.add_error("points", _("A scored item needs its points."))
        if any(self.errors):
            raise forms.ValidationError(_("Some rows need correcting; see the messages by each row."), code="rows")

    def rows(self) -> tuple[list[Row], list[int | None]]:
        """The indicators as rows, in order, with the id each keeps; a heading left without
        points gets its items' sum."""
        kept = self.kept_forms()
        rows = [
            Row(
                level=form.cleaned_data["level"],
                title=form.cleaned_data["title"].strip(),
                code=form.cleaned_data.get("code", ""),
                points=form.cleaned_data.get("points"),
                method=form.cleaned_data["method"],
                rule=form.cleaned_data.get("rule", ""),
                evidence=form.cleaned_data.get("evidence", ""),
                scale=form.cleaned_data.get("scale_levels", []),
                veto=form.cleaned_data.get("veto", False),
                source=form.cleaned_data.get("source", ""),
            )
            for form in kept
        ]
        scored = scored_flags([row.level for row in rows])
        for row, is_scored in zip(rows, scored, strict=True):
            if is_scored and row.points is None:
                row.points = Decimal("0.00")  # a veto item without points
        headings_fill(rows)
        return rows, [form.cleaned_data.get("id") for form in kept]


def indicator_formset(*, extra: int = 3):
    """The formset class showing `extra` empty rows under the sheet's own."""
    return forms.formset_factory(
        IndicatorForm, formset=BaseIndicatorFormSet, extra=extra, can_delete=True, can_order=True, max_num=1000
    )


IndicatorFormSet = indicator_formset()


def indicator_initial(indicators) -> list[dict]:
    return [
        {
            "id": indicator.pk,
            "level": indicator.level,
            "code": indicator.code,
            "title": indicator.title,
            "points": indicator.points,
            "method": indicator.method,
            "scale": scale_text(indicator.scale) if indicator.method == Indicator.Method.SCALE else "",
            "rule": indicator.rule,
            "evidence": indicator.evidence,
            "veto": indicator.veto,
            "source": indicator.source,
            "ORDER": position,
        }
        for position, indicator in enumerate(indicators, start=1)
    ]
