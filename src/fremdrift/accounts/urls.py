from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path(
        "log-ind/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("engangskode/", views.otp_verify, name="otp-verify"),
    path("engangskode/ny-app/", views.otp_enrol, name="otp-enrol"),
    path("adgangskode/", views.PasswordChangeView.as_view(), name="password-change"),
    path("planer/<slug:slug>/sikkerhed/", views.plan_security, name="plan-security"),
]
