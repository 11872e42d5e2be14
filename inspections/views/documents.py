"""An inspection's documents: the list with what may still be issued, issuing one, its printable
page and its Word file. Thin: the numbering and the text are inspections.documents'."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.documents import COUNTY_KINDS, TemplateBroken, document_docx, document_issue
from inspections.models import DocumentKind, DocumentSeries, Inspection, IssuedDocument
from inspections.permissions import documents_listed_q
from plans.views.access import member_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentIssueForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=DocumentKind.choices)
    county = forms.IntegerField(label=gettext_lazy("County"), required=False)


def _inspection_or_404(request, pk: int) -> Inspection:
    inspection = Inspection.objects.select_related("office").filter(pk=pk).first()
    if inspection is None or not request.user.has_perm("inspections.view_inspection", inspection):
        raise Http404
    return inspection


def _no_series_message(inspection: Inspection, error: ValidationError) -> str:
    url = reverse("admin:inspections_documentseries_add") + f"?office={inspection.office_id}"
    return format_html('{} <a href="{}">{}</a>', " ".join(error.messages), url, _("Set the prefix"))


@member_required
def inspection_documents(request, pk):
    inspection = _inspection_or_404(request, pk)
    runs = request.user.has_perm("inspections.run_inspection", inspection)
    if request.method == "POST":
        if not runs:
            raise PermissionDenied
        return _issue(request, inspection)
    documents = inspection.documents.select_related("county", "issued_by").order_by("kind", "county__code", "pk")
    listed = documents_listed_q(request.user, inspection)
    if listed is not None:
        documents = documents.filter(listed)
    documents = list(documents)
    issuable = []
    if runs:
        issued = {(document.kind, document.county_id) for document in documents}
        counties = list(inspection.counties.order_by("code", "name"))
        for county in counties:
            for kind in COUNTY_KINDS:
                if (kind, county.pk) not in issued:
                    issuable.append((kind, DocumentKind(kind).label, county))
        if (DocumentKind.REPORT, None) not in issued:
            issuable.append((DocumentKind.REPORT, DocumentKind.REPORT.label, None))
    has_series = DocumentSeries.objects.filter(office_id=inspection.office_id).exists() if runs else True
    return render(
        request,
        "inspections/document_list.html",
        {
            "inspection": inspection,
            "documents": documents,
            "issuable": issuable,
            "runs": runs,
            "has_series": has_series,
            "series_url": reverse("admin:inspections_documentseries_add") + f"?office={inspection.office_id}",
        },
    )


def _issue(request, inspection: Inspection):
    form = DocumentIssueForm(request.POST)
    back = redirect("inspections:inspection_documents", pk=inspection.pk)
    if not form.is_valid():
        messages.error(request, _("Choose a document to issue."))
        return back
    county = None
    if form.cleaned_data["county"]:
        county = inspection.counties.filter(pk=form.cleaned_data["county"]).first()
        if county is None:
            messages.error(request, _("The county is not one this inspection visits."))
            return back
    try:
        document = document_issue(
            inspection=inspection, kind=form.cleaned_data["kind"], county=county, acting_user=request.user
        )
    except ValidationError as error:
        if error.code == "no_series":
            messages.error(request, _no_series_message(inspection, error))
        else:
            messages.error(request, " ".join(error.messages))
        return back
    messages.success(request, _("Issued %(number)s.") % {"number": document.doc_number})
    return redirect(document)


def _document_or_404(request, pk: int) -> IssuedDocument:
    document = IssuedDocument.objects.select_related("inspection__office", "county", "issued_by").filter(pk=pk).first()
    if document is None or not request.user.has_perm("inspections.view_document", document):
        raise Http404
    return document


@member_required
def document_detail(request, pk):
    """The document as issued, laid out as the printed notice (A4, static/css/print.css)."""
    document = _document_or_404(request, pk)
    return render(request, "inspections/document_detail.html", {"document": document, "doc": document.content})


@member_required
def document_docx_download(request, pk):
    document = _document_or_404(request, pk)
    try:
        data = document_docx(document=document)
    except TemplateBroken as broken:
        messages.error(request, broken.message)
        return redirect(document)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = f"{document.doc_number} {document.title}"[:120].replace("/", "-")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{name}.docx")
    response["X-Content-Type-Options"] = "nosniff"
    return response
