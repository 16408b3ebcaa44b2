from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "fremdrift.web"
    verbose_name = "Web"
