from django.apps import AppConfig


class AreaStatusConfig(AppConfig):
    name = "fremdrift.areastatus"
    label = "areastatus"
    verbose_name = "Områdets status efter almenboligloven"
