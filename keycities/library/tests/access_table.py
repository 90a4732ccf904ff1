"""Expected statuses for the library and search: public publications, the library, the feed and search are for
everyone; a private publication is for staff (404 to anyone else: they may not know it exists); uploading and
editing are for staff (the secretariat and member officers)."""

from keycities.tests.access import EVERYONE, SIGN_IN, Row, World, expect

STAFF_ONLY = expect(404, 404, 200, 200, 200)
STAFF = expect(SIGN_IN, 403, 200, 200, 200)


def build(world: World) -> None:
    import datetime as dt

    from keycities.library import services
    from keycities.library.tests.files import pdf

    secretariat = world["users"]["secretariat"]
    data = {"title": "Levelling up the Key Cities", "summary": "A report.", "published_on": dt.date(2024, 5, 1),
            "authors": "Key Cities", "kind": "report", "is_public": True, "licence": "ogl-3.0"}  # fmt: skip
    world["public_publication"] = services.create_publication(data, pdf("Levelling up"), by=secretariat)
    world["private_publication"] = services.create_publication(
        {**data, "title": "Draft evidence", "is_public": False}, pdf("Draft"), by=secretariat)  # fmt: skip


def pk(which: str):  # type: ignore[no-untyped-def]
    return lambda w: {"pk": w[which].pk}


ROWS = [
    Row("library:index", EVERYONE),
    Row("library:feed", EVERYONE),
    Row("library:search", EVERYONE),
    Row("library:search", EVERYONE, query="q=Bradford", label="a query"),
    Row("library:publication", EVERYONE, kwargs=pk("public_publication")),
    Row("library:publication", STAFF_ONLY, kwargs=pk("private_publication"), label="private"),
    Row("library:download", EVERYONE, kwargs=pk("public_publication")),
    Row("library:download", STAFF_ONLY, kwargs=pk("private_publication"), label="private"),
    Row("library:new", STAFF),
    Row("library:edit", STAFF, kwargs=pk("private_publication")),
    Row("api:search_hub", EVERYONE, query="q=skills"),
    Row("api:list_publications", EVERYONE),
    Row("api:get_publication", EVERYONE, kwargs=lambda w: {"publication_id": w["public_publication"].pk}),
    Row(
        "api:get_publication",
        STAFF_ONLY,
        kwargs=lambda w: {"publication_id": w["private_publication"].pk},
        label="private",
    ),
]
