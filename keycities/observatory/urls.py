from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("evidence/", views.catalogue_page, name="catalogue"),
    path("evidence/compare/", views.compare, name="compare"),
    path("evidence/places/<slug:slug>/", views.place_profile, name="place"),
    path("evidence/places/<slug:slug>/profile.csv", views.place_profile_csv, name="place-csv"),
    path("evidence/<slug:slug>/", views.indicator_page, name="indicator"),
    path("evidence/<slug:slug>/series.csv", views.indicator_series_csv, name="indicator-series-csv"),
]
