from django.apps import AppConfig


class FremdriftDemoConfig(AppConfig):
    name = "fremdrift_demo"
    verbose_name = "Demo og benchmark"
