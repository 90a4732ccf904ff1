"""Expected statuses for the registry: public pages and a read-only API."""

from keycities.tests.access import EVERYONE, Row, expect

ALL_405 = expect(405, 405, 405, 405, 405)

ROWS = [
    Row("network:members", EVERYONE),
    Row("network:place", EVERYONE, kwargs={"slug": "tees-valley"}),
    Row("network:work-areas", EVERYONE),
    Row("network:work-area", EVERYONE, kwargs={"slug": "integration"}),
    Row("api:list_places", EVERYONE),
    Row("api:list_places", ALL_405, method="POST", label="read only"),
    Row("api:get_place", EVERYONE, kwargs={"slug": "hull"}),
    Row("api:list_work_areas", EVERYONE),
    Row("api:get_work_area", EVERYONE, kwargs={"slug": "skills"}),
    Row("api:get_work_area", ALL_405, kwargs={"slug": "skills"}, method="POST", label="read only"),
]
