from django.urls import include, path

from . import commentary, history, issuing, targets, views

app_name = "web"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("oversigt/", views.cross_plan, name="cross-plan"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("planer/<slug:slug>/mappe/", include("fremdrift.web.planfolder")),
    path(
        "planer/<slug:slug>/aktiviteter/<slug:activity_slug>/",
        views.activity_detail,
        name="activity-detail",
    ),
    path("planer/<slug:slug>/rapport/", views.plan_report, name="plan-report"),
    path(
        "planer/<slug:slug>/rapport/hent/",
        views.report_download,
        name="report-download",
    ),
    path(
        "planer/<slug:slug>/rapport/filer/<str:key>/",
        views.report_status,
        name="report-status",
    ),
    path(
        "planer/<slug:slug>/rapport/filer/<str:key>/fil/",
        views.report_file,
        name="report-file",
    ),
    path(
        "planer/<slug:slug>/udsendte/<int:pk>/",
        views.issued_report,
        name="issued-report",
    ),
    path(
        "planer/<slug:slug>/udsendte/<int:pk>/fil/",
        views.issued_report_file,
        name="issued-report-file",
    ),
    *issuing.urlpatterns,
    *commentary.urlpatterns,
    *history.urlpatterns,
    *targets.urlpatterns,
]
