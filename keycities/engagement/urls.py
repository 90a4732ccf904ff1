from django.urls import path

from . import views

app_name = "engagement"

urlpatterns = [
    path("parliament/", views.parliament, name="parliament"),
    path("parliament/people/<int:pk>/", views.mp, name="mp"),
    path("parliament/appg/", views.appg, name="appg"),
    path("parliament/appg/minutes/<int:pk>/", views.appg_minutes, name="appg-minutes"),
    path("engagement/appg/", views.appg_manage, name="appg-manage"),
    path("engagement/appg/roles/<int:pk>/end/", views.appg_role_end, name="appg-role-end"),
    path("engagement/appg/meetings/<int:pk>/", views.appg_meeting, name="appg-meeting"),
    path("engagement/people/<int:pk>/", views.person, name="person"),
    path("engagement/interactions/", views.interactions, name="interactions"),
    path("engagement/interactions/new/", views.interaction_new, name="interaction-new"),
    path("engagement/interactions/<int:pk>/", views.interaction, name="interaction"),
    path("engagement/interactions/<int:pk>/edit/", views.interaction_edit, name="interaction-edit"),
    path("engagement/interactions/<int:pk>/attach/", views.interaction_attach, name="interaction-attach"),
    path("engagement/interactions/<int:pk>/documents/<int:attachment>/", views.attachment, name="attachment"),
    path("engagement/contacts/import/", views.import_contacts, name="import-contacts"),
    path("engagement/coverage/", views.coverage, name="coverage"),
    path("engagement/coverage.csv", views.coverage_csv, name="coverage-csv"),
    path("engagement/coverage/departments.csv", views.coverage_departments_csv, name="coverage-departments-csv"),
    path("engagement/coverage/ministers.csv", views.coverage_ministers_csv, name="coverage-ministers-csv"),
    path("engagement/coverage/press.csv", views.coverage_press_csv, name="coverage-press-csv"),
    path("engagement/follow-ups/", views.follow_ups, name="follow-ups"),
    path("engagement/follow-ups/<int:pk>/done/", views.follow_up_done, name="follow-up-done"),
    path("engagement/calendar/", views.calendar, name="calendar"),
    path("engagement/calendar/<str:key>.ics", views.calendar_feed, name="calendar-feed"),
    path("press/", views.press_releases_public, name="press-releases"),
    path("press/<int:pk>/", views.press_release_public, name="press-release"),
    path("engagement/media/releases/", views.releases, name="releases"),
    path("engagement/media/releases/new/", views.release_new, name="release-new"),
    path("engagement/media/releases/<int:pk>/", views.release, name="release"),
    path("engagement/media/releases/<int:pk>/edit/", views.release_edit, name="release-edit"),
    path("engagement/media/spokespeople/", views.spokespeople, name="spokespeople"),
    path("engagement/media/spokespeople/<int:pk>/end/", views.spokesperson_end, name="spokesperson-end"),
    path("engagement/media/coverage/", views.media_coverage, name="media-coverage"),
    path("engagement/media/coverage.csv", views.media_coverage_csv, name="media-coverage-csv"),
]
