from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's set_language view: the language switch in the page header.
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("fremdrift.accounts.urls")),
    path("registrering/", include("fremdrift.web.staff.urls")),
    path("api/", include("fremdrift.api.urls")),
    path("planer/<slug:slug>/statistik/", include("fremdrift.statistics.urls")),
    path("adgangslog/", include("fremdrift.privacy.urls")),
    path("redigering/", include("fremdrift.editor.urls")),
    path("", include("fremdrift.web.urls")),
]

# Error pages in the site's layout and language (web/errors.py); Django's
# own handlers render 403.html and 404.html with the request already.
handler400 = "fremdrift.web.errors.bad_request"
handler500 = "fremdrift.web.errors.server_error"
