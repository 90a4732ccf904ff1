"""Expected statuses for engagement: public MP pages and the Parliament list; the staff's interactions,
follow-ups and calendar.

`interaction` is about Bradford (the officer's place) with a follow-up the officer owns; Hull's officer
(other_officer) may not see it. `contact` is a person with no public role."""

import datetime as dt

from keycities.tests.access import EVERYONE, SECRETARIAT, SIGN_IN, STAFF, Row, World, expect

NOWHERE = expect(404, 404, 404, 404, 404)
BRADFORD = expect(SIGN_IN, 403, 200, 404, 200)
OWNER = expect(SIGN_IN, 403, 302, 404, 302)
ALL_STAFF_POST = expect(SIGN_IN, 403, 405, 405, 405)


def build(world: World) -> None:
    from keycities.engagement import services
    from keycities.engagement.models import Person
    from keycities.engagement.tests import extracts
    from keycities.network.models import Place

    extracts.load()
    officer, secretariat = world["users"]["officer"], world["users"]["secretariat"]
    mp = Person.objects.get(parliament_id=4396)  # Rebecca Long Bailey, MP for Salford
    contact = Person.objects.create(name="Asha Patel", email="asha.patel@example.test")
    world["mp"], world["contact"] = mp, contact
    world["interaction"] = services.record_interaction(
        {"kind": "meeting", "date": dt.date(2026, 3, 2), "title": "Skills devolution", "people": [mp, contact],
         "places": [Place.objects.get(slug="bradford")]},
        by=secretariat, follow_up={"text": "Send the skills briefing", "owner": officer, "due": dt.date(2026, 3, 9)},
    )  # fmt: skip
    world["follow_up"] = world["interaction"].follow_ups.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n")
    world["interaction_attachment"] = services.add_attachment(world["interaction"], pdf, by=secretariat)
    world["calendar_key"] = services.new_calendar_token(officer)
    from keycities.network.models import WorkArea

    skills = WorkArea.objects.get(slug="skills")
    speaker = services.add_spokesperson({"work_area": skills, "person": mp, "title": "MP for Salford"}, by=secretariat)
    world["release_spokesperson"] = speaker
    world["release_draft"] = services.save_release(
        {"title": "Skills: a plan", "body": "The group asks for a skills deal.", "work_area": skills,
         "spokespeople": [speaker]}, by=officer)  # fmt: skip
    published = services.save_release({"title": "Devolution now", "body": "The group welcomes the white paper."},
                                      by=secretariat)  # fmt: skip
    services.publish_release(services.approve_release(published, by=secretariat), by=secretariat)
    world["release_published"] = published
    meeting = services.save_meeting({"date": dt.date(2026, 2, 10), "title": "AGM", "agenda": "Elect officers",
                                     "minutes": "Officers elected.", "attendees": [mp]}, by=secretariat)  # fmt: skip
    world["appg_meeting"] = services.publish_minutes(meeting, by=secretariat)
    world["appg_unpublished"] = services.save_meeting({"date": dt.date(2026, 3, 10), "title": "Skills"},
                                                      by=secretariat)  # fmt: skip
    world["appg_role"] = Person.objects.get(parliament_id=4396).roles.get(kind="appg-officer")


ROWS = [
    Row("engagement:parliament", EVERYONE),
    Row("engagement:appg", EVERYONE),
    Row("engagement:appg-minutes", EVERYONE, kwargs=lambda w: {"pk": w["appg_meeting"].pk}),
    Row("engagement:appg-minutes", NOWHERE, kwargs=lambda w: {"pk": w["appg_unpublished"].pk}, label="unpublished"),
    Row("engagement:appg-manage", SECRETARIAT),
    Row(
        "engagement:appg-manage",
        expect(SIGN_IN, 403, 403, 403, 400),
        method="POST",
        data={"action": "role"},
        label="invalid",
    ),
    Row(
        "engagement:appg-role-end",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        kwargs=lambda w: {"pk": w["appg_role"].pk},
    ),
    Row(
        "engagement:appg-role-end",
        expect(SIGN_IN, 403, 403, 403, 405),
        kwargs=lambda w: {"pk": w["appg_role"].pk},
        label="POST only",
    ),
    Row("engagement:appg-meeting", SECRETARIAT, kwargs=lambda w: {"pk": w["appg_unpublished"].pk}),
    Row(
        "engagement:appg-meeting",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        data={"action": "publish"},
        kwargs=lambda w: {"pk": w["appg_unpublished"].pk},
        label="publish without minutes: refused",
    ),
    Row("engagement:mp", EVERYONE, kwargs=lambda w: {"pk": w["mp"].pk}),
    Row("engagement:mp", NOWHERE, kwargs=lambda w: {"pk": w["contact"].pk}, label="a contact, not public"),
    Row("engagement:person", BRADFORD, kwargs=lambda w: {"pk": w["contact"].pk}),
    Row("engagement:interactions", STAFF),
    Row("engagement:interaction-new", STAFF),
    Row(
        "engagement:interaction-new",
        expect(SIGN_IN, 403, 400, 400, 400),
        method="POST",
        data={"title": ""},
        label="invalid",
    ),
    Row("engagement:interaction", BRADFORD, kwargs=lambda w: {"pk": w["interaction"].pk}),
    Row(
        "engagement:interaction-edit", expect(SIGN_IN, 403, 403, 404, 200), kwargs=lambda w: {"pk": w["interaction"].pk}
    ),
    Row(
        "engagement:interaction-edit",
        expect(SIGN_IN, 403, 403, 404, 400),
        method="POST",
        data={"title": ""},
        kwargs=lambda w: {"pk": w["interaction"].pk},
        label="invalid",
    ),
    Row(
        "engagement:interaction-attach",
        expect(SIGN_IN, 403, 403, 404, 400),
        method="POST",
        data={},
        kwargs=lambda w: {"pk": w["interaction"].pk},
        label="no file",
    ),
    Row(
        "engagement:interaction-attach",
        expect(SIGN_IN, 403, 405, 405, 405),
        kwargs=lambda w: {"pk": w["interaction"].pk},
        label="POST only",
    ),
    Row(
        "engagement:attachment",
        BRADFORD,
        kwargs=lambda w: {"pk": w["interaction"].pk, "attachment": w["interaction_attachment"].pk},
    ),
    Row("engagement:import-contacts", SECRETARIAT),
    Row("engagement:import-contacts", SECRETARIAT, method="POST", data={}, label="no file"),
    Row("engagement:coverage", STAFF),
    Row("engagement:coverage-csv", STAFF),
    Row("engagement:coverage-departments-csv", STAFF),
    Row("engagement:coverage-ministers-csv", STAFF),
    Row("engagement:coverage-press-csv", STAFF),
    Row("engagement:follow-ups", STAFF),
    Row("engagement:follow-up-done", OWNER, method="POST", kwargs=lambda w: {"pk": w["follow_up"].pk}),
    Row("engagement:follow-up-done", ALL_STAFF_POST, kwargs=lambda w: {"pk": w["follow_up"].pk}, label="POST only"),
    Row("engagement:calendar", STAFF),
    Row("engagement:calendar", STAFF, method="POST", data={"action": "new"}, label="new address"),
    Row("engagement:calendar-feed", EVERYONE, kwargs=lambda w: {"key": w["calendar_key"]}),
    Row("engagement:calendar-feed", NOWHERE, kwargs={"key": "not-a-key"}, label="wrong key"),
    Row("engagement:press-releases", EVERYONE),
    Row("engagement:press-release", EVERYONE, kwargs=lambda w: {"pk": w["release_published"].pk}),
    Row("engagement:press-release", NOWHERE, kwargs=lambda w: {"pk": w["release_draft"].pk}, label="a draft"),
    Row("engagement:releases", STAFF),
    Row("engagement:release-new", STAFF),
    Row("engagement:release-new", expect(SIGN_IN, 403, 400, 400, 400), method="POST", data={}, label="invalid"),
    Row("engagement:release", STAFF, kwargs=lambda w: {"pk": w["release_draft"].pk}),
    Row(
        "engagement:release",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        data={"action": "approve"},
        kwargs=lambda w: {"pk": w["release_draft"].pk},
        label="approve",
    ),
    Row("engagement:release-edit", STAFF, kwargs=lambda w: {"pk": w["release_draft"].pk}),
    Row(
        "engagement:release-edit",
        expect(SIGN_IN, 403, 302, 302, 302),
        kwargs=lambda w: {"pk": w["release_published"].pk},
        label="published: not editable",
    ),
    Row("engagement:spokespeople", STAFF),
    Row("engagement:spokespeople", expect(SIGN_IN, 403, 403, 403, 400), method="POST", data={}, label="invalid"),
    Row(
        "engagement:spokesperson-end",
        expect(SIGN_IN, 403, 403, 403, 302),
        method="POST",
        kwargs=lambda w: {"pk": w["release_spokesperson"].pk},
    ),
    Row(
        "engagement:spokesperson-end",
        expect(SIGN_IN, 403, 403, 403, 405),
        kwargs=lambda w: {"pk": w["release_spokesperson"].pk},
        label="POST only",
    ),
    Row("engagement:media-coverage", STAFF),
    Row("engagement:media-coverage", expect(SIGN_IN, 403, 400, 400, 400), method="POST", data={}, label="invalid"),
    Row("engagement:media-coverage-csv", STAFF),
    Row("api:list_press_releases", EVERYONE),
    Row("api:list_press_releases", EVERYONE, query="format=csv", label="csv"),
    Row("api:list_media_coverage", expect(401, 403, 200, 200, 200)),
    Row("api:list_media_coverage", expect(401, 403, 200, 200, 200), query="format=csv", label="csv"),
    Row("api:list_mps", EVERYONE),
    Row("api:list_mps", EVERYONE, query="place=salford&format=csv", label="csv"),
    Row("api:list_people", expect(401, 403, 200, 200, 200)),
    Row("api:list_people", expect(401, 403, 200, 200, 200), query="format=csv&q=Long", label="csv"),
    Row("api:list_organisations", expect(401, 403, 200, 200, 200)),
    Row("api:list_organisations", expect(401, 403, 200, 200, 200), query="format=csv", label="csv"),
    Row("api:engagement_coverage", expect(401, 403, 200, 200, 200)),
    Row("api:list_interactions", expect(401, 403, 200, 200, 200)),
    Row("api:list_interactions", expect(401, 403, 200, 200, 200), query="format=csv", label="csv"),
]
