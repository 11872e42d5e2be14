"""The rounds' pages: the list, the form, the page of one round with its stages and
participants, and one participant's sheet as 自评 (its county), 初评 (the office's keepers) and
复核 (its reviewers). Thin: form → service or selector → template; who may do what is decided
in evaluation.permissions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from evaluation import selectors_rounds as selectors
from evaluation.forms_rounds import RoundForm, RoundMoveForm, ScoreSheetForm
from evaluation.models import EvaluationRound, Indicator, IndicatorSheet, Participant
from evaluation.permissions import counties_of_user, round_offices_kept
from evaluation.selectors_results import revisions_list
from evaluation.services import rounds as services
from inspections.models import InspectorZone, School
from inspections.selectors import office_counties
from organisation.models import Office
from plans.views.access import member_required

ROUNDS_PER_PAGE = 25
Status = EvaluationRound.Status


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _round_or_404(request, pk: int, perm: str | None = None) -> EvaluationRound:
    round_ = selectors.round_get(pk=pk)
    if round_ is None or not request.user.has_perm("evaluation.view", round_):
        raise Http404(_("No such evaluation round."))
    if perm is not None:
        _need(request, perm, round_)
    return round_


def _participant_or_404(request, pk: int) -> Participant:
    participant = selectors.participant_get(pk=pk)
    if participant is None or not request.user.has_perm("evaluation.view_participant", participant):
        raise Http404(_("No such participant."))
    return participant


@member_required
def round_list(request):
    _need(request, "evaluation.list_rounds")
    page_obj = Paginator(selectors.round_list(user=request.user), ROUNDS_PER_PAGE).get_page(request.GET.get("page"))
    rounds = list(page_obj.object_list)
    ids = [round_.pk for round_ in rounds]
    progress = selectors.rounds_progress(rounds)
    mine = selectors.user_participants(user=request.user, round_ids=ids, counties=counties_of_user(request.user))
    rows = [
        {
            "round": round_,
            "progress": progress.get(round_.pk),
            "mine": mine.get(round_.pk, []),
            "reads": request.user.has_perm("evaluation.view", round_),
        }
        for round_ in rounds
    ]
    return render(
        request,
        "evaluation/rounds_list.html",
        {"page_obj": page_obj, "rows": rows, "may_create": request.user.has_perm("evaluation.create")},
    )


def _offices_kept(user):
    ids = round_offices_kept(user)
    offices = Office.objects.select_related("region").order_by("name")
    return offices if ids is None else offices.filter(pk__in=ids)


@member_required
def round_create(request):
    _need(request, "evaluation.create")
    offices = list(_offices_kept(request.user))
    if not offices:
        raise PermissionDenied
    chosen = request.GET.get("office", "")
    office = next((o for o in offices if str(o.pk) == chosen), None)
    if office is None and len(offices) == 1:
        office = offices[0]
    if office is None:
        return render(request, "evaluation/rounds_office.html", {"offices": offices})
    return _round_form(request, EvaluationRound(office=office), office=office)


@member_required
def round_edit(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.keep")
    if round_.is_published:
        messages.error(request, _("Published results are changed by a correction only."))
        return redirect(round_)
    return _round_form(request, round_, office=round_.office)


def _round_form(request, round_: EvaluationRound, *, office: Office):
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        instance=round_,
        office=office,
        sheets=IndicatorSheet.objects.filter(office=office).order_by("-year", "title"),
        counties=office_counties(office).order_by("code"),
        zones=InspectorZone.objects.filter(county__in=office_counties(office))
        .select_related("county")
        .order_by("county__code", "name"),
        schools=School.objects.filter(county__in=office_counties(office), status=School.Status.OPEN)
        .select_related("county")
        .order_by("county__code", "name"),
        previous=EvaluationRound.objects.filter(office=office).exclude(pk=round_.pk).order_by("-year", "title"),
    )
    if request.method == "POST" and form.is_valid():
        creating = round_.pk is None
        try:
            saved = services.round_save(
                round_=form.save(commit=False),
                counties=form.cleaned_data["counties"],
                zones=form.cleaned_data["zones"],
                schools=form.cleaned_data["schools"],
                acting_user=request.user,
            )
        except ValidationError as error:
            if creating:
                round_.pk = None
            _form_errors(form, error)
        else:
            messages.success(request, _("The round was created.") if creating else _("The round was saved."))
            return redirect(saved)
    return render(request, "evaluation/rounds_form.html", {"form": form, "round": round_, "office": office})


@member_required
def round_detail(request, pk):
    round_ = _round_or_404(request, pk)
    keeps = request.user.has_perm("evaluation.keep", round_)
    page = selectors.round_page(round_)
    return render(
        request,
        "evaluation/rounds_detail.html",
        {
            "round": round_,
            "page": page,
            "keeps": keeps,
            "reviews": request.user.has_perm("evaluation.review", round_),
            "moves": _move_buttons(round_) if keeps else [],
            "revisions": revisions_list(
                round_=round_, names={row.participant.pk: str(row.participant) for row in page.rows}
            )
            if round_.is_published
            else [],
            "fills": keeps
            and round_.status == Status.SCORING
            and Indicator.objects.filter(sheet_id=round_.sheet_id, children__isnull=True).exclude(source="").exists(),
        },
    )


def _move_buttons(round_: EvaluationRound) -> list[tuple[str, str, str]]:
    labels = {
        Status.SELF_ASSESSMENT: (
            _("Ask the participants for their self-assessment"),
            _("Each participant's county is asked for its self-assessment, due on the date set. Go on?"),
        ),
        Status.SCORING: (
            _("Close the self-assessment and start scoring"),
            _("The counties can no longer change their self-assessment. Go on?"),
        ),
        Status.REVIEW: (
            _("Close the scoring and start the review"),
            _("The initial scores can no longer be changed. Go on?"),
        ),
    }
    return [(to, *labels[to]) for to in services.round_moves(round_)]


@member_required
@require_POST
def round_transition(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.keep")
    form = RoundMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the round to."))
        return redirect(round_)
    try:
        round_ = services.round_transition(round_=round_, to=form.cleaned_data["to"], acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The round is now at the stage “%(status)s”.") % {"status": round_.get_status_display()}
        )
    return redirect(round_)


@member_required
@require_POST
def round_fill_figures(request, pk):
    round_ = _round_or_404(request, pk, "evaluation.keep")
    try:
        filled = services.scores_fill_from_figures(round_=round_, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)d scores were filled from the app's figures.") % {"count": filled})
    return redirect(round_)


def _sheet_page(request, participant, *, mode, may_edit, save, values, texts, value_label, text_label, **extra):
    lines = selectors.participant_sheet(participant, with_people=mode != "self")
    inspections = extra.pop("inspections", None)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = None
    # The form only where it is filled in: sixty items' fields, built and never shown, were a
    # sixth of a read-only sheet's time.
    if may_edit:
        form = ScoreSheetForm(
            request.POST if request.method == "POST" else None,
            lines=lines,
            values={line.indicator.pk: values(line.score) for line in lines if line.score is not None},
            texts={line.indicator.pk: texts(line.score) for line in lines if line.score is not None},
            value_label=value_label,
            text_label=text_label,
            inspections=inspections() if inspections else None,
        )
        if request.method == "POST" and form.is_valid():
            try:
                save(participant=participant, entries=form.entries(), acting_user=request.user)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The scores were saved."))
                return redirect(request.path)
        for line, value, text, inspection in form.rows():
            line.value_field, line.text_field, line.inspection_field = value, text, inspection
    scored = [line for line in lines if line.scored]
    return render(
        request,
        "evaluation/rounds_sheet.html",
        {
            "mode": mode,
            "participant": participant,
            "round": participant.round,
            "reads_round": request.user.has_perm("evaluation.view", participant.round),
            "lines": lines,
            "form": form,
            "may_edit": may_edit,
            "items": len(scored),
            "has_scores": any(line.score is not None for line in scored),
            "self_given": sum(1 for line in scored if line.score and line.score.self_score is not None),
            "scored": sum(1 for line in scored if line.score and line.score.score is not None),
            **extra,
        },
    )


@member_required
def self_assessment(request, pk):
    """A participant's 自评: its county scores itself item by item while the round is at its
    self-assessment stage; the round's readers read it."""
    participant = _participant_or_404(request, pk)
    may_edit = (
        request.user.has_perm("evaluation.self_assess", participant)
        and participant.round.status == Status.SELF_ASSESSMENT
    )
    return _sheet_page(
        request,
        participant,
        mode="self",
        may_edit=may_edit,
        save=services.self_assessment_save,
        values=lambda score: score.self_score,
        texts=lambda score: score.self_note,
        value_label=_("Self-assessed score"),
        text_label=_("Note and evidence"),
        obligation=selectors.self_assessment_obligation(participant),
        heading=pgettext("evaluation stage", "Self-assessment"),
        instructions=_(
            "Score each item by its rule and say what shows it; what is saved may be changed until the round "
            "leaves its self-assessment stage. The evidence goes with the report on the obligation."
        ),
        read_only_note=_("The self-assessment is changed by the county while the round is at that stage."),
        save_label=pgettext("evaluation", "Save the self-assessment"),
    )


@member_required
def scoring(request, pk):
    """A participant's 初评 by the office's keepers, while the round is at its scoring stage."""
    participant = _participant_or_404(request, pk)
    _need(request, "evaluation.keep", participant.round)
    round_ = participant.round
    return _sheet_page(
        request,
        participant,
        mode="score",
        may_edit=round_.status == Status.SCORING,
        save=services.scores_save,
        values=lambda score: score.score,
        texts=lambda score: score.reason,
        value_label=_("Score"),
        text_label=_("Reason"),
        inspections=lambda: services.inspections_for(office=round_.office, county=participant.county),
        heading=_("Initial scoring"),
        instructions=_("Each score needs its reason; cite the inspection whose visit gathered the evidence."),
        read_only_note=_("Scores are given while the round is at its scoring stage."),
        save_label=_("Save the scores"),
    )


@member_required
def review(request, pk):
    """A participant's 复核 by the office's reviewers, while the round is at its review stage."""
    participant = _participant_or_404(request, pk)
    _need(request, "evaluation.keep", participant.round)
    may_edit = (
        request.user.has_perm("evaluation.review", participant.round) and participant.round.status == Status.REVIEW
    )
    return _sheet_page(
        request,
        participant,
        mode="review",
        may_edit=may_edit,
        save=services.reviews_save,
        values=lambda score: score.review_score,
        texts=lambda score: score.review_reason,
        value_label=_("Reviewed score"),
        text_label=_("Reason for the change"),
        heading=pgettext("evaluation stage", "Review"),
        instructions=_(
            "Give a final score, with its reason, only where it changes the initial score; elsewhere the initial "
            "score stands."
        ),
        read_only_note=_("The office's reviewers review the scores while the round is at its review stage."),
        save_label=_("Save the review"),
    )
