from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from keycities.api import api
from keycities.core.urls import app_name as core
from keycities.core.urls import urlpatterns as core_pages
from keycities.core.views import switch_language
from keycities.network.views import about, home

admin.site.site_header = "Key Cities Hub administration"
admin.site.site_title = "Key Cities Hub admin"
admin.site.index_title = "Registry and records"

# Pages in English at /… and in Welsh at /cy/… (docs/adr/0010-welsh.md).
urlpatterns = [
    # The API first: no page's address starts with api/v1/, and resolving an API request after every page's
    # pattern (several hundred tried, in both languages' resolvers) cost about a fifth of a cached answer.
    path("api/v1/", api.urls),
    *i18n_patterns(
        # The layout's pages, and the home and about pages that describe the network (network.views).
        path("", include(([path("", home, name="home"), path("about/", about, name="about"), *core_pages], core))),
        path("", include("keycities.network.urls")),
        path("", include("keycities.observatory.urls")),
        path("", include("keycities.claims.urls")),
        path("", include("keycities.proposals.urls")),
        path("", include("keycities.consultations.urls")),
        path("", include("keycities.engagement.urls")),
        path("", include("keycities.briefings.urls")),
        path("", include("keycities.voice.urls")),
        path("", include("keycities.pilots.urls")),
        path("", include("keycities.library.urls")),
        path("account/", include("keycities.accounts.urls")),
        prefix_default_language=False,
    ),
    path("language/<str:code>/", switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
]

handler400 = "keycities.core.views.bad_request"
handler403 = "keycities.core.views.permission_denied"
handler404 = "keycities.core.views.page_not_found"
handler500 = "keycities.core.views.server_error"
