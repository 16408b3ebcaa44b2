from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "fremdrift.evaluation"
    verbose_name = "Evaluering"
