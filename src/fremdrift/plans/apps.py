from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fremdrift.plans"
    verbose_name = "Helhedsplaner"
