from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("<slug:plan>/", views.log_list, name="log"),
    path("<slug:plan>/adgangslog.csv", views.log_export, name="log-export"),
    path("<slug:plan>/deltager/", views.extract, name="extract"),
    path("<slug:plan>/stikproeve/", views.spot_check, name="spot-check"),
]
