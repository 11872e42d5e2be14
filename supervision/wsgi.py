import os

from django.core.wsgi import get_wsgi_application

from supervision.collector import collector_settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervision.settings")
application = get_wsgi_application()
# Loaded in each gunicorn worker (no --preload): what it holds now lives as long as it does.
collector_settle()
