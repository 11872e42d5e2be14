"""The user's page of personal API tokens: make one (its secret shown this once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenForm
from api.tokens import api_token_create, api_token_list, api_token_revoke


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    made = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                made = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # Rendered, not redirected: the secret is in this answer only and stored nowhere.
                form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "made": made, "tokens": api_token_list(user=request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = api_token_list(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    try:
        api_token_revoke(token=token, acting_user=request.user)
    except ValidationError as exc:
        messages.info(request, exc.messages[0])
    else:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:token_list")
