"""The API's documentation pages: Swagger UI and ReDoc from the sidecar's static files.

Swagger UI's start script is its own request (the split view), so the pages' policy (scripts
from our files only) holds. ReDoc writes its styles at run time and searches in a worker made
from a blob: its page alone allows both."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


@method_decorator(csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
