"""Admin actions that show what they will change and ask for confirmation before doing it."""
from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.core.validators import URLValidator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.ingest.addresses import WEB_SCHEMES


class WebURLField(forms.URLField):
    """An address typed by a curator: http or https only (Django's URLField also takes ftp and ftps)."""

    default_validators = [URLValidator(schemes=list(WEB_SCHEMES))]


WEB_URL_FIELD = {"form_class": WebURLField, "assume_scheme": "https"}


def acting_on_selection(request) -> bool:
    """Return whether a change list request is a bulk action on selected rows: Django then
    answers with the action's page or a redirect, never with the list."""
    return (request.method == "POST" and "_save" not in request.POST
            and any(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)))


class ActionChangeList(ChangeList):
    """The change list, which a bulk action on selected rows builds only for its query.

    Django's changelist_view builds the whole list before it runs an action: the page of rows
    (a hundred articles with their counts of links) and two counts of every row (the list's and
    its "show all"), 90 ms of PostgreSQL at 100,000 articles for each edit, growing with the
    archive, that the action's answer never shows. For such a request the rows are not read."""

    def get_results(self, request):
        if not (acting_on_selection(request) and self.model_admin.get_actions(request)):  # else Django shows the list
            return super().get_results(request)
        self.result_count = self.full_result_count = 0
        self.result_list = self.queryset.none()
        self.can_show_all = self.multi_page = False
        self.paginator = None


class SelectionChecked:
    """A ModelAdmin mixin: a bulk action whose selection holds a value that is no primary key of
    the model (a hand-made or cut request: "abc" for an article's id) is refused with a message and
    a redirect, nothing changed; Django's own response_action filters by it and answers 500."""

    def response_action(self, request, queryset):
        key = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                key.run_validators(key.to_python(value))  # a number the column cannot hold too
        except (ValidationError, ValueError, TypeError):
            self.message_user(request, _("La sélection n’est pas valide : rien n’a été changé."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


def log_change(request, objects, message: str) -> None:
    """Record in the admin history, on each object, that this user made this change now."""
    objects = [o for o in objects if o is not None]
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    for model, pks in by_model.items():
        LogEntry.objects.log_actions(request.user.pk, model.objects.filter(pk__in=pks), CHANGE, change_message=message)


def status_labels(fold) -> dict:
    """The statuses of a merge's folded link (kept, dropped, result) in the reader's words."""
    from articles.models import LinkStatus

    return {part: str(LinkStatus(getattr(fold, part)).label) for part in ("kept", "dropped", "result")}


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
        # The change and its history entries commit together, or neither does. The selected rows
        # are locked first (in id order, so two actions never deadlock): a concurrent action on the
        # same rows waits, then sees what this one did (a merged-away row is gone, a tag is there).
        with transaction.atomic():
            message = apply(_locked(queryset), data)
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


def _locked(queryset):
    """Lock the rows of queryset (FOR UPDATE, in id order) and return a plain queryset of those still there."""
    model = queryset.model
    ids = list(model.objects.filter(pk__in=queryset.values("pk")).order_by("pk").select_for_update().values_list("pk", flat=True))
    return model.objects.filter(pk__in=ids)


class SurvivorForm(forms.Form):
    """Choose which of the selected objects the others merge into."""

    into = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Garder"), widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = queryset


def merge_action(modeladmin, request, queryset, *, title: str, too_few: str, describe_other, merge, done_message,
                 form_class: type[SurvivorForm] = SurvivorForm):
    """Merge the selected objects into the one the curator keeps, after confirmation.

    describe_other(other, data) says what happens to one merged object (data: the form's
    cleaned data, with "into"); merge(objects, data) is the curation service and returns its
    Outcome; done_message(outcome, into) is the message shown after the merge.
    """
    from articles.models import Article

    if queryset.count() < 2:
        modeladmin.message_user(request, too_few, level=messages.WARNING)
        return None

    def describe(qs, data):
        others = list(qs.exclude(pk=data["into"].pk))
        data = {**data, "merged_ids": [o.pk for o in others]}
        return [describe_other(other, data) for other in others]

    def apply(qs, data):
        into = qs.filter(pk=data["into"].pk).first()
        if into is None or qs.count() < 2:  # merged meanwhile by someone else
            return _("Rien à fusionner : ces éléments ont été fusionnés ou supprimés entre-temps.")
        outcome = merge(list(qs), {**data, "into": into})
        names = ", ".join(outcome.removed)
        log_change(request, [into], _("Fusion : %(names)s fusionné ici.") % {"names": names} if len(outcome.removed) == 1
                   else _("Fusion : %(names)s fusionnés ici.") % {"names": names})
        log_change(request, Article.objects.filter(pk__in=outcome.articles), _("« %(names)s » → « %(into)s » (fusion).") % {
            "names": names, "into": str(into)})
        return done_message(outcome, into)

    return confirmed_action(modeladmin, request, queryset, title=title, describe=describe, apply=apply,
                            form_class=form_class, form_kwargs={"queryset": queryset})
