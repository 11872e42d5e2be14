"""The notification pages: one's own settings, an office's group robots, the delivery log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors
from notifications.forms import OfficeChannelForm, PreferencesForm
from notifications.models import ROBOTS, Message
from notifications.services.delivery import message_retry_now
from notifications.services.settings import office_channel_remove, office_channel_set, preferences_save
from organisation.models import Office
from plans.views.access import member_required


@member_required
def preferences(request):
    if not request.user.has_perm("notifications.change_preferences"):
        raise PermissionDenied
    preference = selectors.preference_get(user=request.user)
    form = PreferencesForm(
        request.POST or None, subscriptions=selectors.subscriptions_of(user=request.user), preference=preference
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        preferences_save(
            user=request.user,
            choices=form.choices(),
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            phone=data.get("phone") if "phone" in form.fields else None,
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "offices": selectors.offices_with_channels(user=request.user),
            "may_read_log": request.user.has_perm("notifications.view_delivery_log"),
        },
    )


@member_required
def office_channels(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    if not request.user.has_perm("notifications.change_office_channels", office):
        raise PermissionDenied
    saved = selectors.office_channels(office=office)
    forms = {
        channel.value: OfficeChannelForm(
            request.POST if request.POST.get("channel") == channel.value else None,
            channel=channel.value,
            saved=saved.get(channel.value),
            prefix=channel.value,
        )
        for channel in ROBOTS
    }
    if request.method == "POST":
        channel = request.POST.get("channel")
        if channel not in forms:
            raise Http404
        if request.POST.get("remove"):
            office_channel_remove(office=office, channel=channel, acting_user=request.user)
            messages.success(request, _("The group robot was removed."))
            return redirect("notifications:office_channels", office_id=office.pk)
        form = forms[channel]
        if form.is_valid():
            office_channel_set(
                office=office,
                channel=channel,
                acting_user=request.user,
                enabled=form.cleaned_data["enabled"],
                events=form.cleaned_data["events"],
                webhook=form.cleaned_data["webhook"],
                secret=form.secret_value(),
            )
            messages.success(request, _("The group robot was saved."))
            return redirect("notifications:office_channels", office_id=office.pk)
    rows = [(channel, forms[channel.value], saved.get(channel.value)) for channel in ROBOTS]
    return render(request, "notifications/office_channels.html", {"office": office, "rows": rows})


@member_required
def delivery_log(request):
    if not request.user.has_perm("notifications.view_delivery_log"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in Message.Status.values:
        status = ""
    page = Paginator(selectors.message_list(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/delivery_log.html",
        {"page": page, "status": status, "statuses": Message.Status.choices},
    )


@require_POST
@member_required
def message_retry(request, pk: int):
    message = selectors.message_get(user=request.user, pk=pk)
    if message is None:
        raise Http404
    if not request.user.has_perm("notifications.retry_message", message):
        raise PermissionDenied
    try:
        message = message_retry_now(message=message, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if message.status == Message.Status.SENT:
            messages.success(request, _("The message was sent."))
        else:
            messages.error(request, _("The message was not sent: %(answer)s") % {"answer": message.answer})
    return redirect("notifications:delivery_log")
