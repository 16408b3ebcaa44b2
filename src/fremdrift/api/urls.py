"""/api/: the API, and a JSON 404 for any other address under it (ninja's
own root page is the HTML docs page, which is switched off)."""

from django.urls import path, re_path

from .errors import not_found_view
from .site import api

urlpatterns = [
    path("", not_found_view),
    path("", api.urls),
    re_path(r"", not_found_view),
]
