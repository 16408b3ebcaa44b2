from django.urls import path, register_converter

from . import views
from .tree import KIND_SEGMENTS, SEGMENT_KINDS

app_name = "editor"


class KindConverter:
    """A kind of part as its Danish address segment (``aktiviteter``)."""

    regex = "|".join(KIND_SEGMENTS.values())

    def to_python(self, value: str) -> str:
        return SEGMENT_KINDS[value]

    def to_url(self, value: str) -> str:
        return KIND_SEGMENTS[value]


register_converter(KindConverter, "part")

urlpatterns = [
    path("ny/", views.plan_new, name="plan-new"),
    path("<slug:slug>/", views.plan_editor, name="plan"),
    path("<slug:slug>/fakta/", views.plan_facts, name="plan-facts"),
    path("<slug:slug>/finansiering/", views.funding, name="funding"),
    path("<slug:slug>/maalfelter/", views.target_fields, name="target-fields"),
    path(
        "<slug:slug>/kriterier/<slug:key>/vaerdier/",
        views.criterion_values,
        name="criterion-values",
    ),
    path("<slug:slug>/<part:kind>/ny/", views.part_new, name="part-new"),
    path("<slug:slug>/<part:kind>/<slug:key>/", views.part_edit, name="part-edit"),
    path(
        "<slug:slug>/<part:kind>/<slug:key>/slet/",
        views.part_remove,
        name="part-remove",
    ),
    path("<slug:slug>/<part:kind>/<slug:key>/flyt/", views.part_move, name="part-move"),
]
