"""The bulletins' pages: the list by year, drafting one, editing its text, submitting and
issuing it, its printable page and Word file, and the office's paragraph templates. Thin: the
drafting is bulletins.drafting's, the writes bulletins.services'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bulletins import selectors, services
from bulletins.documents import bulletin_content, bulletin_docx, bulletin_docx_name
from bulletins.forms import BulletinCreateForm, ParagraphTemplatesForm
from bulletins.job_kinds import BULLETIN_DOCX
from bulletins.paragraphs import paragraph_texts
from evaluation.models import EvaluationRound
from inspections.documents import TemplateBroken
from inspections.selectors import offices_counties
from jobs.services import job_start
from organisation.access import offices_edited_by
from organisation.models import Office
from plans.views.access import member_required
from supervision.localtime import site_today

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bulletin_or_404(request, pk: int, perm: str | None = None):
    bulletin = selectors.bulletin_get(pk=pk)
    if bulletin is None or not request.user.has_perm("bulletins.view", bulletin):
        raise Http404
    if perm is not None and not request.user.has_perm(perm, bulletin):
        raise PermissionDenied
    return bulletin


@member_required
def bulletin_list(request):
    if not request.user.has_perm("bulletins.list"):
        raise PermissionDenied
    years = selectors.bulletin_years(user=request.user)
    this_year = site_today().year
    year = request.GET.get("year", "")
    year = int(year) if year.isascii() and year.isdigit() and int(year) in years else (years[0] if years else this_year)
    return render(
        request,
        "bulletins/bulletin_list.html",
        {
            "bulletins": selectors.bulletin_list(user=request.user, year=year),
            "years": years,
            "year": year,
            "may_create": request.user.has_perm("bulletins.create"),
            "keeps": list(offices_edited_by(request.user)),
        },
    )


@member_required
def bulletin_create(request):
    if not request.user.has_perm("bulletins.create"):
        raise PermissionDenied
    offices = offices_edited_by(request.user)
    form = BulletinCreateForm(
        request.POST or None,
        offices=offices,
        counties=offices_counties(offices).order_by("code", "name"),
        rounds=EvaluationRound.objects.filter(office__in=offices, status=EvaluationRound.Status.PUBLISHED).order_by(
            "-year", "title"
        ),
        initial={"period_start": site_today().replace(day=1), "period_end": site_today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allowed = set(offices_counties([data["office"]]).values_list("pk", flat=True))
        if any(county.pk not in allowed for county in data["counties"]):
            form.add_error("counties", _("Choose counties of the office."))
        else:
            try:
                bulletin = services.bulletin_create(
                    office=data["office"],
                    kind=data["kind"],
                    start=data["period_start"],
                    end=data["period_end"],
                    counties=data["counties"],
                    round_=data["round"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Drafted from the data: read it and edit the text."))
                return redirect("bulletins:bulletin_edit", pk=bulletin.pk)
    return render(request, "bulletins/bulletin_create.html", {"form": form})


def _posted_sections(post, body: dict) -> list[list[dict]]:
    """The paragraphs as posted: each kept one's text (by its index), then a new one if typed."""
    sections = []
    for number, section in enumerate(body.get("sections", [])):
        kept = []
        for index in range(len(section["paragraphs"])):
            if post.get(f"s{number}-p{index}-remove"):
                continue
            kept.append({"index": index, "text": post.get(f"s{number}-p{index}", "")})
        added = post.get(f"s{number}-new", "").strip()
        if added:
            kept.append({"index": None, "text": added})
        sections.append(kept)
    return sections


def _edit_rows(body: dict, post=None) -> list[dict]:
    """The edit page's sections: each paragraph with its text (as typed, after an error)."""
    rows = []
    for number, section in enumerate(body.get("sections", [])):
        paragraphs = []
        for index, paragraph in enumerate(section["paragraphs"]):
            name = f"s{number}-p{index}"
            paragraphs.append(
                {
                    "name": name,
                    "text": post.get(name, "") if post is not None else paragraph["text"],
                    "removed": bool(post.get(f"{name}-remove")) if post is not None else False,
                    "figures": paragraph.get("figures", []),
                }
            )
        rows.append(
            {
                "heading": section.get("heading", ""),
                "paragraphs": paragraphs,
                "new_name": f"s{number}-new",
                "new_text": post.get(f"s{number}-new", "") if post is not None else "",
            }
        )
    return rows


@member_required
def bulletin_edit(request, pk):
    bulletin = _bulletin_or_404(request, pk, "bulletins.edit")
    errors = []
    if request.method == "POST":
        try:
            services.bulletin_edit(
                bulletin=bulletin,
                title=request.POST.get("title", ""),
                sections=_posted_sections(request.POST, bulletin.body),
                acting_user=request.user,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect(bulletin)
    post = request.POST if request.method == "POST" else None
    return render(
        request,
        "bulletins/bulletin_edit.html",
        {
            "bulletin": bulletin,
            "title": post.get("title", "") if post is not None else bulletin.title,
            "rows": _edit_rows(bulletin.body, post),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@member_required
def bulletin_detail(request, pk):
    """The bulletin laid out as the printed notice (A4, static/css/print.css), with its steps."""
    bulletin = _bulletin_or_404(request, pk)
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "doc": bulletin_content(bulletin),
            "body": bulletin.body.get("sections", []),
            "may_edit": request.user.has_perm("bulletins.edit", bulletin),
            "may_issue": request.user.has_perm("bulletins.issue", bulletin),
        },
    )


@require_POST
@member_required
def bulletin_submit(request, pk):
    bulletin = _bulletin_or_404(request, pk, "bulletins.edit")
    try:
        services.bulletin_submit(bulletin=bulletin, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Submitted for review."))
    return redirect(bulletin)


@require_POST
@member_required
def bulletin_issue(request, pk):
    bulletin = _bulletin_or_404(request, pk, "bulletins.issue")
    try:
        bulletin = services.bulletin_issue(bulletin=bulletin, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Issued %(number)s.") % {"number": bulletin.doc_number})
    return redirect(bulletin)


@member_required
def bulletin_docx_download(request, pk):
    bulletin = _bulletin_or_404(request, pk)
    try:
        data = bulletin_docx(bulletin=bulletin)
    except TemplateBroken as broken:
        messages.error(request, broken.message)
        return redirect(bulletin)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=bulletin_docx_name(bulletin)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required
@require_POST
def bulletin_docx_job(request, pk):
    """The Word file made by a job (后台生成), for a long bulletin or a busy server: the job's page
    links the file when it is ready."""
    bulletin = _bulletin_or_404(request, pk)
    job = job_start(
        kind=BULLETIN_DOCX,
        user=request.user,
        office=bulletin.office,
        title=bulletin_docx_name(bulletin),
        params={"bulletin": bulletin.pk},
    )
    return redirect(job)


@member_required
def paragraph_templates(request, office_id):
    office = get_object_or_404(Office, pk=office_id)
    if not request.user.has_perm("bulletins.keep_office", office):
        raise PermissionDenied
    form = ParagraphTemplatesForm(request.POST or None, texts=paragraph_texts(office_id=office.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.paragraph_templates_save(office=office, texts=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(key, problem)
        else:
            messages.success(request, _("Saved."))
            return redirect("bulletins:paragraph_templates", office_id=office.pk)
    return render(request, "bulletins/paragraph_templates.html", {"office": office, "form": form})
