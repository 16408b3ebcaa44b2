from django.urls import include, path

from . import views

app_name = "registrations"

ACTIVITY = "<slug:plan>/<slug:activity>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:plan>/skabelon.xlsx", views.import_template, name="import-template"),
    path(ACTIVITY, views.activity_detail, name="activity"),
    path("", include("fremdrift.web.staff.planning_urls")),
    path(ACTIVITY + "forloeb/<int:course>/", views.course_detail, name="course"),
    path(ACTIVITY + "kommentar/", views.commentary, name="commentary"),
    path(ACTIVITY + "moedegange/ny/", views.open_session_add, name="open-session-add"),
    path(ACTIVITY + "dokumentation/", views.evidence, name="evidence"),
    path(
        ACTIVITY + "dokumentation/<int:evidence>/",
        views.evidence_file,
        name="evidence-file",
    ),
    path(ACTIVITY + "moedegange/<int:session>/", views.session_detail, name="session"),
    path(ACTIVITY + "deltagere/", views.participant_list, name="participants"),
    path(ACTIVITY + "deltagere/ny/", views.participant_add, name="participant-add"),
    path(
        ACTIVITY + "deltagere/<int:participant>/",
        views.participant_detail,
        name="participant",
    ),
    path(
        ACTIVITY + "tilmeldinger/<int:enrolment>/",
        views.enrolment_detail,
        name="enrolment",
    ),
    path(
        ACTIVITY + "tilmeldinger/<int:enrolment>/opfoelgning/",
        views.follow_up_add,
        name="follow-up-add",
    ),
    path(
        ACTIVITY + "tilmeldinger/<int:enrolment>/spoergeskema/<int:questionnaire>/",
        views.response_add,
        name="response-add",
    ),
]
