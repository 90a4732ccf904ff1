from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/manage/", views.manage, name="manage"),
    path("surveys/manage/new/", views.create, name="create"),
    path("surveys/answer/<str:token>/check/", views.check, name="check"),
    path("surveys/answer/<str:token>/saved/", views.saved, name="saved"),
    path("surveys/answer/<str:token>/sent/", views.done, name="done"),
    path("surveys/answer/<str:token>/<int:position>/", views.question, name="question"),
    path("surveys/<slug:slug>/", views.survey, name="survey"),
    path("surveys/<slug:slug>/results/", views.results_page, name="results"),
    path("surveys/<slug:slug>/results/<slug:table>.csv", views.results_csv, name="results-csv"),
    path("surveys/<slug:slug>/manage/", views.edit, name="edit"),
    path("surveys/<slug:slug>/manage/questions/<int:position>/", views.question_edit, name="question-edit"),
    path("surveys/<slug:slug>/manage/themes/<int:position>/", views.theme_manage, name="themes"),
]
