# Production image: gunicorn serving the app (static files through WhiteNoise). The database is
# PostgreSQL elsewhere; evidence and imported files live in the MEDIA_ROOT volume.
#   docker build -t supervision-planner .
#   docker run -e SECRET_KEY=… -e DATABASE_URL=postgres://… -e ALLOWED_HOSTS=… -p 8000:8000 \
#     -v supervision-media:/data/media supervision-planner
# Background jobs: the same image and variables with CELERY_BROKER_URL=redis://… on both, the
# worker (and beat, on one host only) run as
#   docker run … supervision-planner celery -A supervision worker -B
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 STATIC_MANIFEST=1 MEDIA_ROOT=/data/media STATIC_ROOT=/app/staticfiles
WORKDIR /app
RUN useradd --create-home --uid 10001 app && mkdir -p /data/media && chown app /data/media
COPY pyproject.toml README.md ./
# Every app pyproject.toml packages (tests/test_production.py checks the list).
COPY schedule schedule
COPY supervision supervision
COPY organisation organisation
COPY audit audit
COPY jobs jobs
COPY plans plans
COPY tracking tracking
COPY inspections inspections
COPY evaluation evaluation
COPY bulletins bulletins
COPY notifications notifications
COPY api api
COPY demo demo
COPY templates templates
COPY static static
COPY locale locale
COPY fixtures fixtures
COPY manage.py ./
RUN pip install --no-cache-dir '.[prod]' \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput -v0
USER app
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn supervision.wsgi:application --bind 0.0.0.0:8000 --workers ${WORKERS:-3} --threads ${THREADS:-4} --timeout 60 --max-requests 10000 --max-requests-jitter 1000 --keep-alive 75 --preload"]
