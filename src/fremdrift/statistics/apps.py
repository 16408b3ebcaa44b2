from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "fremdrift.statistics"
    label = "statistics"
    verbose_name = "Statistik"
