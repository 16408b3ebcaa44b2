"""Outreach on the staff pages: register a contact or a bridge-building in
a few taps on a phone, see the activity's latest ones, correct or delete
one. The list names participants, so showing it writes an access-log
entry naming them (the services log each change)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from fremdrift.audit.context import logged_origin
from fremdrift.base.versioning import VersionConflict
from fremdrift.plans.models import Activity
from fremdrift.registrations import outreach, selectors
from fremdrift.registrations.course_forms import VersionForm
from fremdrift.registrations.models import Contact
from fremdrift.registrations.outreach_forms import ContactForm

from .views import _activity, _is_htmx, _log_view, _url, get_and_post


def _contact(activity: Activity, pk: int) -> Contact:
    found = get_object_or_404(
        Contact.objects.select_related("participant", "area"),
        activity=activity,
        pk=pk,
    )
    found.activity = activity
    return found


def _list_page(
    request: HttpRequest, activity: Activity, form: ContactForm, status: int = 200
) -> HttpResponse:
    contacts = selectors.activity_contacts(activity=activity)
    _log_view(
        request,
        activity,
        object_type="contact_list",
        participants=[c.participant for c in contacts if c.participant is not None],
    )
    template = (
        "registrations/_contacts.html"
        if _is_htmx(request)
        else "registrations/contacts.html"
    )
    return render(
        request,
        template,
        {
            "activity": activity,
            "form": form,
            "contacts": contacts,
            "fragment": _is_htmx(request),
        },
        status=status,
    )


@login_required
@get_and_post
@logged_origin
def contact_list(request: HttpRequest, plan: str, activity: str) -> HttpResponse:
    """Kontakter og brobygning: the form on top, the latest below."""
    current = _activity(request, plan, activity)
    form = ContactForm(request.POST or None, activity=current)
    if request.method == "POST":
        if not form.is_valid():
            return _list_page(request, current, form, status=400)
        outreach.contact_create(
            activity=current, user=request.user, fields=form.contact_fields()
        )
        messages.success(request, _("Kontakten er gemt."))
        if not _is_htmx(request):
            return redirect(_url("contacts", current))
        # A fresh form for the next one, with the same kind and date.
        form = ContactForm(
            activity=current,
            initial={
                "date": form.cleaned_data["date"],
                "kind": form.cleaned_data["kind"],
                "who": form.cleaned_data["who"],
                "anonymous_count": 1,
            },
        )
    return _list_page(request, current, form)


@login_required
@get_and_post
@logged_origin
def contact_edit(
    request: HttpRequest, plan: str, activity: str, contact: int
) -> HttpResponse:
    current = _activity(request, plan, activity)
    this = _contact(current, contact)
    form = ContactForm(request.POST or None, activity=current, contact=this)
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            outreach.contact_update(
                contact=this,
                user=request.user,
                version=form.cleaned_data["version"],
                fields=form.contact_fields(),
            )
        except VersionConflict as conflict:
            this = _contact(current, contact)
            form = ContactForm(activity=current, contact=this)
            error = conflict.message()
            status = 409
        else:
            messages.success(request, _("Kontakten er rettet."))
            return redirect(_url("contacts", current))
    elif request.method == "POST":
        status = 400
    _log_view(
        request,
        current,
        object_type="contact",
        object_id=this.pk,
        participants=[this.participant] if this.participant else [],
    )
    return render(
        request,
        "registrations/contact_edit.html",
        {"activity": current, "contact": this, "form": form, "error": error},
        status=status,
    )


@login_required
@get_and_post
def contact_delete(
    request: HttpRequest, plan: str, activity: str, contact: int
) -> HttpResponse:
    """Delete a contact, after a confirmation."""
    current = _activity(request, plan, activity)
    this = _contact(current, contact)
    form = VersionForm(request.POST or None, initial={"version": this.version})
    status, error = 200, ""
    if request.method == "POST" and form.is_valid():
        try:
            outreach.contact_delete(
                contact=this, user=request.user, version=form.cleaned_data["version"]
            )
        except VersionConflict as conflict:
            this = _contact(current, contact)
            form = VersionForm(initial={"version": this.version})
            error = conflict.message()
            status = 409
        else:
            messages.success(request, _("Kontakten er slettet."))
            return redirect(_url("contacts", current))
    return render(
        request,
        "registrations/contact_delete.html",
        {"activity": current, "contact": this, "form": form, "error": error},
        status=status,
    )
