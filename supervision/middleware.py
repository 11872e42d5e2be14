"""One log line per request: method, path, status, time, SQL queries' count only when DEBUG."""
import logging
import time

logger = logging.getLogger("supervision.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "ip": request.META.get("REMOTE_ADDR"),
            },
        )
        return response
