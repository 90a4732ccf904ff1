from django.urls import path

from . import upload_views, views

app_name = "observatory"
urlpatterns = [
    path("evidence/", views.catalogue_page, name="catalogue"),
    path("evidence/compare/", views.compare, name="compare"),
    path("evidence/releases/", upload_views.uploads_page, name="uploads"),
    path("evidence/releases/<int:pk>/", upload_views.upload, name="upload"),
    path("evidence/places/<slug:slug>/", views.place_profile, name="place"),
    path("evidence/places/<slug:slug>/profile.csv", views.place_profile_csv, name="place-csv"),
    path("evidence/<slug:slug>/", views.indicator_page, name="indicator"),
    path("evidence/<slug:slug>/series.csv", views.indicator_series_csv, name="indicator-series-csv"),
]
