"""Expected statuses for the project's own views: the layout's pages and the API's root and docs."""

from keycities.tests.access import EVERYONE, SIGNED_IN, Row, expect

ROWS = [
    Row("core:home", EVERYONE),
    Row("core:about", EVERYONE),
    Row("switch-language", expect(302, 302, 302, 302, 302), kwargs={"code": "cy"}, query="next=/members/"),
    Row("switch-language", expect(404, 404, 404, 404, 404), kwargs={"code": "fr"}, label="no such language"),
    Row("core:accessibility", EVERYONE),
    Row("core:privacy", EVERYONE),
    Row("core:my-work", SIGNED_IN),
    # django-ninja routes the API's root, which has nothing to show: the docs are at /api/v1/docs.
    Row("api:api-root", expect(404, 404, 404, 404, 404)),
    Row("api:openapi-json", EVERYONE),
    Row("api:openapi-view", EVERYONE),
]
