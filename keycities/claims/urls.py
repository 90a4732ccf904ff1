from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("in-numbers/", views.in_numbers, name="in-numbers"),
    path("claims/documents/<slug:slug>/", views.document, name="document"),
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("claims/<int:pk>/edit/", views.edit, name="edit"),
    path("claims/new/", views.edit, name="new"),
    path("claims/dashboard/", views.dashboard, name="dashboard"),
]
