from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("members/", views.members, name="members"),
    path("members/<slug:slug>/", views.place, name="place"),
    path("work-areas/", views.work_areas, name="work-areas"),
    path("work-areas/<slug:slug>/", views.work_area, name="work-area"),
]
