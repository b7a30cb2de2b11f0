"""Admin actions that show what they will change and ask for confirmation before doing it."""
from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def log_change(request, objects, message: str) -> None:
    """Record in the admin history, on each object, that this user made this change now."""
    objects = [o for o in objects if o is not None]
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    for model, pks in by_model.items():
        LogEntry.objects.log_actions(request.user.pk, model.objects.filter(pk__in=pks), CHANGE, change_message=message)


def confirmed_action(
    modeladmin,
    request,
    queryset,
    *,
    title: str,
    describe: Callable[[object, dict], list[str]],
    apply: Callable[[object, dict], str],
    form_class: type[forms.Form] | None = None,
    form_kwargs: dict | None = None,
):
    """Run an admin action in two steps: a page that says what will change, then the change.

    describe(queryset, cleaned_data) returns the lines shown on the confirmation page;
    apply(queryset, cleaned_data) makes the change and returns the message shown after it.
    """
    step = request.POST.get("step")
    form = None
    data = {}
    if form_class is not None:
        form = form_class(request.POST if step else None, **(form_kwargs or {}))
        if step and form.is_valid():
            data = form.cleaned_data
        elif step:
            step = None  # show the form again, with its errors
    if step == "apply" and (form is None or form.is_valid()):
        message = apply(queryset, data)
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None  # back to the change list
    ready = form is None or (step == "preview" and form.is_valid())
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "changes": describe(queryset, data) if ready else [],
        "ready": ready,
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": queryset.values_list("pk", flat=True),
        "confirm_label": _("Oui, appliquer"),
    }
    return TemplateResponse(request, "admin/articles/confirm_action.html", context)
