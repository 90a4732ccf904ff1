from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("pilots/", views.index, name="index"),
    path("pilots/new/", views.create, name="create"),
    path("pilots/from-proposal/<str:reference>/", views.from_proposal, name="from-proposal"),
    path("pilots/<slug:slug>/", views.detail, name="detail"),
    path("pilots/<slug:slug>/edit/", views.edit, name="edit"),
    path("pilots/<slug:slug>/milestones/", views.milestone, name="milestone"),
    path("pilots/<slug:slug>/outcomes/new/", views.add_outcome, name="add-outcome"),
    path("pilots/<slug:slug>/outcomes/<int:pk>/", views.outcome, name="outcome"),
    path("pilots/<slug:slug>/outcomes/<int:pk>/comparators/", views.comparators, name="comparators"),
    path("pilots/<slug:slug>/outcomes/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
]
