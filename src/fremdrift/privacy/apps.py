from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "fremdrift.privacy"
    verbose_name = "Databeskyttelse"
