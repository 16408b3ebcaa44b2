from django.apps import AppConfig


class PlanfilesConfig(AppConfig):
    name = "fremdrift.planfiles"
    verbose_name = "Planfiler"
