"""Expected statuses for briefing packs: issued packs about the group and a work area are public; a member
place's pack is for staff (404 to anyone else: they may not know it exists); writing and issuing are for the
secretariat."""

from keycities.tests.access import EVERYONE, SECRETARIAT, SIGN_IN, Row, World, expect

STAFF_ONLY = expect(404, 404, 200, 200, 200)
API_STAFF_ONLY = expect(404, 404, 200, 200, 200)


def build(world: World) -> None:
    from keycities.briefings import services
    from keycities.briefings.models import Kind
    from keycities.network.models import Place, WorkArea

    secretariat = world["users"]["secretariat"]
    area = services.create_pack({"kind": Kind.WORK_AREA, "title": "Skills", "work_area": WorkArea.objects.get(
        slug="skills")}, by=secretariat)  # fmt: skip
    place = services.create_pack({"kind": Kind.PLACE, "title": "Bradford", "place": Place.objects.get(
        slug="bradford")}, by=secretariat)  # fmt: skip
    world["public_issue"] = services.issue_pack(area, by=secretariat)
    world["private_issue"] = services.issue_pack(place, by=secretariat)


def issue(which: str, **extra: str):  # type: ignore[no-untyped-def]
    return lambda w: {"pack": w[which].pack_id, "version": w[which].version, **extra}


ROWS = [
    Row("briefings:index", EVERYONE),
    Row("briefings:issue", EVERYONE, kwargs=issue("public_issue")),
    Row("briefings:issue", STAFF_ONLY, kwargs=issue("private_issue"), label="a place's pack"),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="pdf")),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="docx"), label="docx"),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="csv"), label="csv"),
    Row("briefings:download", STAFF_ONLY, kwargs=issue("private_issue", fmt="pdf"), label="a place's pack, pdf"),
    Row("briefings:packs", SECRETARIAT),
    Row("briefings:edit", SECRETARIAT, kwargs=lambda w: {"pk": w["private_issue"].pack_id}),
    Row(
        "briefings:issue-now",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        kwargs=lambda w: {"pk": w["public_issue"].pack_id},
    ),
    Row("briefings:batch", expect(SIGN_IN, 403, 403, 403, 302)),
    Row("api:list_briefings", EVERYONE),
    Row("api:get_briefing", EVERYONE, kwargs=lambda w: {"issue_id": w["public_issue"].pk}),
    Row(
        "api:get_briefing", API_STAFF_ONLY, kwargs=lambda w: {"issue_id": w["private_issue"].pk}, label="a place's pack"
    ),
]
