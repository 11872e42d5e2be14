"""Suggestions for the office and county search fields (static/js/suggest.js asks these)."""
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from plans.selectors.counties import county_suggestions
from plans.selectors.plans import office_suggestions
from plans.views.access import member_required

MIN_TERM = 1


@member_required
@require_GET
def suggest(request, kind):
    term = request.GET.get("q", "").strip()[:32]
    if len(term) < MIN_TERM:
        return JsonResponse({"results": []})
    if kind == "counties":
        results = county_suggestions(term=term)
    else:
        results = office_suggestions(term=term)
    return JsonResponse({"results": results})
