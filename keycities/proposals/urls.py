from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("work-with-us/", views.start, name="start"),
    path("work-with-us/check/", views.check, name="check"),
    path("work-with-us/confirmation/", views.confirmation, name="confirmation"),
    path("work-with-us/status/<str:token>/", views.status, name="status"),
    path("proposals/", views.queue, name="queue"),
    path("proposals/export.csv", views.export, name="export"),
    path("proposals/people/", views.people, name="people"),
    path("proposals/<str:reference>/", views.review, name="review"),
    path("proposals/<str:reference>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
