"""The layout's own pages. The project's urls.py adds the home and about pages (owned by `network`,
which they describe) to this `core` namespace, so that core imports no domain app."""

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("my-work/", views.my_work, name="my-work"),
]
