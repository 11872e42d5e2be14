"""Authentication without Django's model permissions.

Who may do what is plans.permissions' business (rules); the admin lets in superusers only,
who pass every check. Django's per-user and per-group permissions would only add two queries
to every negative check, and a second, unused, way to grant rights.
"""

from django.contrib.auth.backends import ModelBackend


class AuthenticationBackend(ModelBackend):
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
