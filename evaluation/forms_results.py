"""Forms of the results pages: publication's note, a correction (its reason and the scores it
changes), an objection, and its answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator, Objection, Participant
from evaluation.selectors import scored_indicators
from evaluation.selectors_results import PARTICIPANT_RELATED


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return _("%(item)s (%(points)s points)") % {"item": str(obj), "points": f"{obj.points:.2f}"}


def _score_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("New final score"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
        **kwargs,
    )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the publication"),
        required=False,
        max_length=500,
        help_text=_("Kept as the reason of revision 1; “公布” when left empty."),
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the results are corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the results are corrected: the revision shows it.")},
    )


class ScoreChangeForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Participant"), queryset=Participant.objects.none())
    indicator = ItemChoiceField(label=_("Item"), queryset=Indicator.objects.none())
    score = _score_field()
    reason = forms.CharField(label=_("Reason for this score"), required=False, max_length=1000)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(round=round_).select_related(
            *PARTICIPANT_RELATED
        )
        self.fields["indicator"].queryset = scored_indicators(round_.sheet_id)

    def clean(self):
        cleaned = super().clean()
        indicator, score = cleaned.get("indicator"), cleaned.get("score")
        if indicator is not None and score is not None and score > indicator.points:
            self.add_error(
                "score",
                _("“%(indicator)s” is worth %(points)s points at most.")
                % {"indicator": indicator, "points": f"{indicator.points:.2f}"},
            )
        return cleaned


ScoreChangeFormSet = forms.formset_factory(ScoreChangeForm, extra=3, max_num=20)


class ObjectionForm(forms.Form):
    indicator = ItemChoiceField(
        label=_("Item concerned"),
        queryset=Indicator.objects.none(),
        required=False,
        empty_label=_("The whole sheet"),
    )
    text = forms.CharField(
        label=_("Objection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what the objection is about.")},
    )

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = scored_indicators(participant.round.sheet_id)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Objection.Outcome.choices, widget=forms.RadioSelect)
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the answer: the county reads it.")},
    )
    indicator = ItemChoiceField(
        label=_("Item whose score is corrected"), queryset=Indicator.objects.none(), required=False
    )
    score = _score_field(
        required=False,
        help_text=_("Only when the objection is upheld: the score is corrected as a new revision of the results."),
    )

    def __init__(self, *args, objection: Objection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = scored_indicators(objection.participant.round.sheet_id)
        if objection.indicator_id and not self.is_bound:
            self.initial.setdefault("indicator", objection.indicator_id)

    def clean(self):
        cleaned = super().clean()
        score, indicator = cleaned.get("score"), cleaned.get("indicator")
        if score is None:
            return cleaned
        if cleaned.get("outcome") == Objection.Outcome.REJECTED:
            self.add_error("score", _("A rejected objection leaves the score as it is: leave the new score empty."))
        elif indicator is None:
            self.add_error("indicator", _("Choose the item whose score is corrected."))
        elif score > indicator.points:
            self.add_error(
                "score",
                _("“%(indicator)s” is worth %(points)s points at most.")
                % {"indicator": indicator, "points": f"{indicator.points:.2f}"},
            )
        return cleaned
