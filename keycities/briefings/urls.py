from django.urls import path

from . import views

app_name = "briefings"
urlpatterns = [
    path("briefings/", views.index, name="index"),
    path("briefings/<int:pack>/v<int:version>/", views.issue, name="issue"),
    path("briefings/<int:pack>/v<int:version>/send/", views.send, name="send"),
    path("briefings/<int:pack>/v<int:version>/<str:fmt>", views.download, name="download"),
    path("briefings/packs/", views.packs, name="packs"),
    path("briefings/packs/<int:pk>/", views.edit, name="edit"),
    path("briefings/packs/every-member-place/", views.batch, name="batch"),
    path("briefings/packs/<int:pk>/issue/", views.issue_now, name="issue-now"),
]
