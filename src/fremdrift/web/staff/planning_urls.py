"""The staff's planning and outreach pages (courses, session series, a
session's corrections, contacts), included into the staff app's urls."""

from django.urls import path

from . import courses, outreach

ACTIVITY = "<slug:plan>/<slug:activity>/"

urlpatterns = [
    path(ACTIVITY + "forloeb/ny/", courses.course_add, name="course-add"),
    path(
        ACTIVITY + "forloeb/<int:course>/kopier/",
        courses.course_copy,
        name="course-copy",
    ),
    path(
        ACTIVITY + "forloeb/<int:course>/moedegange/plan/",
        courses.session_series,
        name="session-series",
    ),
    path(
        ACTIVITY + "moedegange/<int:session>/ret/",
        courses.session_edit,
        name="session-edit",
    ),
    path(
        ACTIVITY + "moedegange/<int:session>/aflys/",
        courses.session_cancel,
        name="session-cancel",
    ),
    path(
        ACTIVITY + "moedegange/<int:session>/slet/",
        courses.session_delete,
        name="session-delete",
    ),
    path(ACTIVITY + "kontakter/", outreach.contact_list, name="contacts"),
    path(
        ACTIVITY + "kontakter/<int:contact>/",
        outreach.contact_edit,
        name="contact-edit",
    ),
    path(
        ACTIVITY + "kontakter/<int:contact>/slet/",
        outreach.contact_delete,
        name="contact-delete",
    ),
]
