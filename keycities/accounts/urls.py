from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from keycities.core.access import public

from . import views

app_name = "accounts"
T = "accounts/"

urlpatterns = [
    path("", views.account, name="account"),
    path(
        "sign-in/",
        public(auth.LoginView.as_view(template_name=T + "sign_in.html", redirect_authenticated_user=True)),
        name="sign-in",
    ),
    path("sign-out/", public(auth.LogoutView.as_view()), name="sign-out"),
    path(
        "password-reset/",
        public(
            views.PasswordResetView.as_view(
                template_name=T + "password_reset.html",
                email_template_name=T + "email/password_reset.txt",
                subject_template_name=T + "email/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password-reset-sent"),
            )
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        public(auth.PasswordResetDoneView.as_view(template_name=T + "password_reset_sent.html")),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        public(
            auth.PasswordResetConfirmView.as_view(
                template_name=T + "password_reset_confirm.html",
                success_url=reverse_lazy("accounts:password-reset-complete"),
            )
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        public(auth.PasswordResetCompleteView.as_view(template_name=T + "password_reset_complete.html")),
        name="password-reset-complete",
    ),
]
