from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fremdrift.accounts"
    verbose_name = "Brugere og roller"
