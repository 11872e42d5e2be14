"""What the apps' forms share: the login forms, Django's with the username's length enforced.

Django's AuthenticationForm sets the username field's max_length after the field is built, so
no validator checks it: a longer name reached authenticate(), and django-axes wrote the failed
attempt into its 255-character column (a server error on PostgreSQL, and an error mail)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _BoundedUsername:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators = [*field.validators, MaxLengthValidator(field.max_length)]


class LoginForm(_BoundedUsername, AuthenticationForm):
    pass


class AdminLoginForm(_BoundedUsername, AdminAuthenticationForm):
    pass
