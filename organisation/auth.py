"""Authentication without Django's model permissions.

Who may do what is plans.permissions' business (rules); the admin lets in superusers only,
who pass every check. Django's per-user and per-group permissions would only add two queries
to every negative check, and a second, unused, way to grant rights.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


class AuthenticationBackend(ModelBackend):
    def get_user(self, user_id):
        """The request's signed-in user (every request asks): one statement, the ORM's own
        query less its compilation, which cost more than reading the row (README, Performance:
        Throughput). An inactive user is not signed in, as Django has it."""
        model = get_user_model()
        connection = connections[router.db_for_read(model)]
        table, pk = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
        try:
            user_id = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = next(iter(model._default_manager.raw(f"SELECT * FROM {table} WHERE {pk} = %s", [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False
