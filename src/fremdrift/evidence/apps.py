from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "fremdrift.evidence"
    verbose_name = "Dokumentation"
