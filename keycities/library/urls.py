from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("library/", views.index, name="index"),
    path("library/new/", views.new, name="new"),
    path("library/feed.atom", views.feed, name="feed"),
    path("library/<int:pk>/", views.publication, name="publication"),
    path("library/<int:pk>/file", views.download, name="download"),
    path("library/<int:pk>/edit/", views.edit, name="edit"),
    path("search/", views.search_page, name="search"),
]
