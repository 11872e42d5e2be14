from plans.views import home as import_upload, home as import_confirm  # noqa: F401
