from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "fremdrift.editor"
    verbose_name = "Plan editor"
