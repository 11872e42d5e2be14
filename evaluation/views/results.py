"""The results pages: the ranking (provisional until published), its Excel, the item-by-item
comparison, one participant's sheet, publication, corrections and objections (申诉).
Thin: form → service (evaluation.services.results) or selector → template."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluation import selectors_results as selectors
from evaluation.forms_results import AnswerForm, CorrectionForm, ObjectionForm, PublishForm, ScoreChangeFormSet
from evaluation.models import EvaluationRound, Objection, Participant
from evaluation.selectors_rounds import round_get
from evaluation.services import results as services
from evaluation.services.results_export import results_workbook
from plans.error_summary import form_error_items
from plans.views.access import member_required


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _round_or_404(request, pk: int, *, perm: str = "evaluation.view_results", act: str | None = None):
    """The round if the user may read it (404 otherwise), and may do `act` on it (403)."""
    round_ = round_get(pk=pk)
    if round_ is None or not request.user.has_perm(perm, round_):
        raise Http404(_("No such evaluation round."))
    if act and not request.user.has_perm(act, round_):
        raise PermissionDenied
    return round_


def _participant_or_404(request, pk: int) -> Participant:
    participant = selectors.participant_get(pk=pk)
    if participant is None or not request.user.has_perm("evaluation.view_participant", participant):
        raise Http404(_("No such participant."))
    return participant


@member_required
def round_results(request, pk):
    round_ = _round_or_404(request, pk)
    ranking = selectors.ranking_get(round_=round_)
    is_staff = request.user.has_perm("evaluation.view", round_)
    may_review = request.user.has_perm("evaluation.review", round_)
    names = {row.participant.pk: str(row.participant) for row in ranking.rows}
    context = {
        "round": round_,
        "ranking": ranking,
        "is_staff": is_staff,
        "may_publish": may_review and round_.status == EvaluationRound.Status.REVIEW,
        "may_correct": may_review and round_.is_published,
        "publish_form": PublishForm(),
        "revisions": selectors.revisions_list(round_=round_, names=names) if round_.is_published else [],
        "objections": selectors.objections_list(round_=round_, participants=[row.participant for row in ranking.rows])
        if is_staff
        else [],
        # A county's users open their own sheet from the ranking; staff open every one.
        "openable": {
            row.participant.pk
            for row in ranking.rows
            if is_staff or request.user.has_perm("evaluation.view_participant", row.participant)
        },
    }
    return render(request, "evaluation/results_ranking.html", context)


@member_required
def round_results_xlsx(request, pk):
    round_ = _round_or_404(request, pk, perm="evaluation.view")
    data = results_workbook(
        ranking=selectors.ranking_get(round_=round_), comparison=selectors.comparison_get(round_=round_)
    )
    name = _("%(year)s %(title)s, results") % {"year": round_.year, "title": round_.title}
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name[:60]}-{timezone.localdate():%Y%m%d}.xlsx"
    )
    return response


@member_required
def round_comparison(request, pk):
    round_ = _round_or_404(request, pk, perm="evaluation.view")
    return render(
        request,
        "evaluation/results_comparison.html",
        {"round": round_, "comparison": selectors.comparison_get(round_=round_)},
    )


@member_required
def participant_detail(request, pk):
    participant = _participant_or_404(request, pk)
    round_ = participant.round
    is_staff = request.user.has_perm("evaluation.view", round_)
    context = {
        "participant": participant,
        "round": round_,
        "sheet": selectors.participant_sheet_get(participant=participant),
        # A county reads its inspectors' scores only once the results are published.
        "show_scores": is_staff or round_.is_published,
        "is_staff": is_staff,
        "may_object": request.user.has_perm("evaluation.object", participant),
        "may_answer": request.user.has_perm("evaluation.review", round_),
        "may_see_ranking": request.user.has_perm("evaluation.view_results", round_),
    }
    return render(request, "evaluation/results_participant.html", context)


@member_required
@require_POST
def round_publish(request, pk):
    round_ = _round_or_404(request, pk, act="evaluation.review")
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        round_ = services.round_publish(round_=round_, acting_user=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The results are published. Objections may be raised until %(date)s.")
            % {"date": round_.objection_until.isoformat()},
        )
    return redirect("evaluation:round_results", pk=round_.pk)


@member_required
def round_correct(request, pk):
    round_ = _round_or_404(request, pk, act="evaluation.review")
    if not round_.is_published:
        messages.error(request, _("Only published results are corrected."))
        return redirect("evaluation:round_results", pk=round_.pk)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        changes = ScoreChangeFormSet(request.POST, form_kwargs={"round_": round_}, prefix="change")
        if form.is_valid() and changes.is_valid():
            picked = [
                services.ScoreChange(
                    participant=row["participant"],
                    indicator=row["indicator"],
                    score=row["score"],
                    reason=row.get("reason", ""),
                )
                for row in changes.cleaned_data
                if row
            ]
            try:
                revision = services.round_correct(
                    round_=round_, changes=picked, reason=form.cleaned_data["reason"], acting_user=request.user
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("The results were corrected: revision %(number)d.") % {"number": revision.number}
                )
                return redirect("evaluation:round_results", pk=round_.pk)
        status = 400
    else:
        initial = {key: request.GET[key] for key in ("participant", "indicator") if request.GET.get(key, "").isdigit()}
        form = CorrectionForm()
        changes = ScoreChangeFormSet(
            form_kwargs={"round_": round_}, prefix="change", initial=[initial] if initial else None
        )
        status = 200
    errors = form_error_items(form)
    for index, change in enumerate(changes.forms if changes.is_bound else [], start=1):
        errors += form_error_items(change, where=_("Change %(number)d") % {"number": index})
    if changes.is_bound and changes.non_form_errors():
        form.add_error(None, changes.non_form_errors())
    return render(
        request,
        "evaluation/results_correct.html",
        {"round": round_, "form": form, "changes": changes, "errors": errors},
        status=status,
    )


@member_required
def objection_create(request, pk):
    participant = _participant_or_404(request, pk)
    if not request.user.has_perm("evaluation.object", participant):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None, participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_raise(
                participant=participant,
                indicator=form.cleaned_data["indicator"],
                text=form.cleaned_data["text"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your objection was sent; the answer will show on this page."))
            return redirect(participant)
    return render(
        request,
        "evaluation/results_objection_form.html",
        {"participant": participant, "round": participant.round, "form": form, "errors": form_error_items(form)},
        status=400 if form.is_bound else 200,
    )


@member_required
def objection_answer(request, pk):
    objection = get_object_or_404(
        Objection.objects.select_related(
            "participant__round__office__region",
            "participant__round__sheet",
            "indicator",
            "raised_by",
            *(f"participant__{name}" for name in selectors.PARTICIPANT_RELATED),
        ),
        pk=pk,
    )
    round_ = objection.participant.round
    if not request.user.has_perm("evaluation.view", round_):
        raise Http404(_("No such objection."))
    if not request.user.has_perm("evaluation.review", round_):
        raise PermissionDenied
    if not objection.is_open:
        messages.info(request, _("This objection has been answered already."))
        return redirect(objection.participant)
    form = AnswerForm(request.POST or None, objection=objection)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_answer(
                objection=objection,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                indicator=form.cleaned_data["indicator"],
                score=form.cleaned_data["score"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The objection was answered."))
            return redirect(objection.participant)
    return render(
        request,
        "evaluation/results_objection_answer.html",
        {"objection": objection, "round": round_, "form": form, "errors": form_error_items(form)},
        status=400 if form.is_bound else 200,
    )
