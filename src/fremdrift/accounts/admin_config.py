"""Django's admin app with fremdrift's site (this module imports no models:
Django reads it while the app registry is still loading)."""

from django.contrib.admin.apps import AdminConfig


class FremdriftAdminConfig(AdminConfig):
    """Listed in INSTALLED_APPS instead of ``django.contrib.admin``:
    ``admin.site`` is then a site that requires a confirmed one-time code
    (``admin_site.VerifiedAdminSite``)."""

    default_site = "fremdrift.accounts.admin_site.VerifiedAdminSite"
