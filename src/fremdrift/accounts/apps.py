from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fremdrift.accounts"
    verbose_name = "Brugere og roller"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 (registers, connects)
