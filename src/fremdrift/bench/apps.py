from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "fremdrift.bench"
    verbose_name = "Benchmark"
