from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("forhaandsvis/", views.import_preview, name="import-preview"),
    path("bekraeft/", views.import_confirm, name="import-confirm"),
    path("skabelon/<str:name>", views.import_template, name="import-template"),
    path("<int:pk>/", views.import_detail, name="import-detail"),
    path("<int:pk>/fortryd/", views.import_undo, name="import-undo"),
]
