import os

from django.core.wsgi import get_wsgi_application

from supervision.collector import collector_settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
application = get_wsgi_application()
# Loaded once in gunicorn's master (make serve: --preload), whose workers are forks of it: what
# it holds now lives as long as they do, and a worker recycled by --max-requests starts loaded.
collector_settle()
