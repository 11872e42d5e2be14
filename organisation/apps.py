from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


def _reference_data_after_migrate(sender, using, **kwargs):
    # The division table and the official calendar belong in every database: notices cannot be
    # read without the one, due dates not computed without the other. Loaded here rather than by
    # a data migration, so that no migration runs today's code against yesterday's schema.
    from django.db import connections

    from organisation.models import County, OfficialCalendarDay
    from organisation.reference import reference_data_load

    # `migrate auth` alone signals every app, before this one's tables exist.
    tables = connections[using].introspection.table_names()
    if County._meta.db_table in tables and OfficialCalendarDay._meta.db_table in tables:
        reference_data_load()


class OrganisationConfig(AppConfig):
    """Who and where, and when: divisions, offices, memberships and access, the official calendar."""

    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from django.contrib import admin

        # The admin is the administrators' tool: `is_staff` alone opens nothing.
        admin.site.has_permission = _superusers_only
        # The idle-session clock starts at login (its receiver lives with the middleware).
        import organisation.checks  # noqa: F401
        import supervision.connections  # noqa: F401
        import supervision.middleware  # noqa: F401

        post_migrate.connect(_reference_data_after_migrate, sender=self)
        # Every model's get_FOO_display keeps its labels (all models are loaded by now).
        from supervision.choices import labels_kept

        labels_kept()
        # And every model's instances made from their rows without Model.__init__.
        from supervision.loading import rows_loaded_plainly

        rows_loaded_plainly()
