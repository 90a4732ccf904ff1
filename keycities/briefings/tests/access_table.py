"""Expected statuses for briefing packs: issued packs about the group and a work area are public; a member
place's pack is for the secretariat and the place's officers (404 to anyone else: they may not know it exists);
writing, issuing and sending are for the secretariat."""

from keycities.tests.access import EVERYONE, SECRETARIAT, SIGN_IN, Row, World, expect

# A private pack (Bradford's): the secretariat and Bradford's officers; 404 to everyone else.
ITS_PLACE = expect(404, 404, 200, 404, 200)


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
    Row("briefings:issue", ITS_PLACE, kwargs=issue("private_issue"), label="a place's pack"),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="pdf")),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="docx"), label="docx"),
    Row("briefings:download", EVERYONE, kwargs=issue("public_issue", fmt="csv"), label="csv"),
    Row("briefings:download", ITS_PLACE, kwargs=issue("private_issue", fmt="pdf"), label="a place's pack, pdf"),
    Row("briefings:packs", SECRETARIAT),
    Row("briefings:edit", SECRETARIAT, kwargs=lambda w: {"pk": w["private_issue"].pack_id}),
    Row(
        "briefings:issue-now",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        kwargs=lambda w: {"pk": w["public_issue"].pack_id},
    ),
    Row("briefings:batch", expect(SIGN_IN, 403, 403, 403, 302)),
    Row("briefings:send", SECRETARIAT, kwargs=issue("public_issue")),
    Row(
        "briefings:send",
        expect(SIGN_IN, 403, 403, 403, 400),
        method="POST",
        kwargs=issue("public_issue"),
        label="an empty send",
    ),
    Row("api:list_briefings", EVERYONE),
    Row("api:get_briefing", EVERYONE, kwargs=lambda w: {"issue_id": w["public_issue"].pk}),
    Row("api:get_briefing", ITS_PLACE, kwargs=lambda w: {"issue_id": w["private_issue"].pk}, label="a place's pack"),
]
