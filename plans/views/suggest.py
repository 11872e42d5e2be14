"""Suggestions for the office and county search fields (static/js/suggest.js asks these)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from plans.forms import TermForm
from plans.selectors.plans import county_suggestions, office_suggestions
from plans.views.access import member_required

MIN_TERM = 1


@member_required
@require_GET
def suggest(request, kind):
    form = TermForm(request.GET, max_chars=32)
    if not form.is_valid():
        return JsonResponse({"results": [], "error": form.refusal()}, status=400)
    term = form.cleaned_data["q"]
    if len(term) < MIN_TERM:
        return JsonResponse({"results": []})
    if kind == "counties":
        results = county_suggestions(term=term)
    else:
        results = office_suggestions(term=term)
    return JsonResponse({"results": results})
