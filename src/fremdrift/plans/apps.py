from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "fremdrift.plans"
    verbose_name = "Helhedsplaner"

    def ready(self) -> None:
        from fremdrift.base.freshness import connect_signals

        # Stored measures are renewed on every write (base/freshness.py).
        connect_signals()
