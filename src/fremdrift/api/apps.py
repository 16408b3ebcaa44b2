from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fremdrift.api"
    label = "api"
    verbose_name = "REST-API"
