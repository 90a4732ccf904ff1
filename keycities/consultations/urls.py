from django.urls import path

from . import views

app_name = "consultations"
urlpatterns = [
    path("consultations/", views.open_list, name="open"),
    path("consultations/register/", views.register, name="register"),
    path("consultations/new/", views.new, name="new"),
    path("consultations/import/", views.import_file, name="import"),
    path("consultations/responses/", views.archive, name="archive"),
    path("consultations/responses/<int:pk>/", views.published, name="published"),
    path("consultations/asks/", views.ledger, name="ledger"),
    path("consultations/asks.csv", views.ledger_csv, name="ledger-csv"),
    path("consultations/<int:pk>/", views.detail, name="detail"),
    path("consultations/<int:pk>/details/", views.details, name="details"),
    path("consultations/<int:pk>/edit/", views.edit, name="edit"),
    path("consultations/<int:pk>/versions/", views.versions, name="versions"),
    path("consultations/<int:pk>/compare/", views.compare, name="compare"),
    path("consultations/<int:pk>/review/", views.review, name="review"),
    path("consultations/<int:pk>/asks/", views.asks, name="asks"),
    path("consultations/<int:pk>/history/", views.history, name="history"),
    path("consultations/<int:pk>/welsh/", views.welsh_version, name="welsh"),
    path("consultations/<int:pk>/documents/<int:doc>/", views.document, name="document"),
    path("consultations/<int:pk>/response.<str:fmt>", views.export, name="export"),
]
