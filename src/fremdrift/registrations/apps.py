from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "fremdrift.registrations"
    verbose_name = "Registreringer"
