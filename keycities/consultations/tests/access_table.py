"""Expected statuses for consultations: public pages, the staff workspace, the lead's drafting and
the secretariat's tools.

`consultation` is led by Bradford (the officer's place) and is in member review; `published` is
led by Hull (the other officer's place) and has been submitted."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from keycities.tests.access import EVERYONE, SECRETARIAT, SIGN_IN, STAFF, Row, World, expect

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
LEAD = expect(SIGN_IN, 403, 200, 403, 200)
NOWHERE = expect(404, 404, 404, 404, 404)


def build(world: World) -> None:
    from keycities.consultations import services
    from keycities.network.models import Place, WorkArea

    today = timezone.localdate()
    officer, hull, secretariat = (world["users"][r] for r in ("officer", "other_officer", "secretariat"))
    c = services.create_consultation(
        {
            "title": "Skills England: post-16 funding reform",
            "body_type": "uk-government",
            "body_name": "Department for Education",
            "url": "https://www.gov.uk/government/consultations/post-16",
            "published_on": today - dt.timedelta(days=20),
            "closes_on": today + dt.timedelta(days=10),
            "lead_place": Place.objects.get(slug="bradford"),
            "work_areas": [WorkArea.objects.get(slug="skills")],
        },
        by=secretariat,
    )
    services.add_questions(c, ["Do you agree?"], by=officer)
    services.save_draft(c, {c.sections.get().pk: "Yes."}, base=1, by=officer)
    world["document"] = services.add_document(c, SimpleUploadedFile("paper.pdf", PDF), by=officer)
    services.open_review(c, today, by=officer)
    world["consultation"], world["section"] = c, c.sections.get()
    published = services.create_consultation(
        {
            "title": "Published",
            "body_type": "other",
            "body_name": "B",
            "url": "https://example.org/p",
            "published_on": today - dt.timedelta(days=9),
            "closes_on": today,
            "lead_place": hull.place,
        },
        by=secretariat,
    )
    services.add_questions(published, ["Q?"], by=hull)
    services.open_review(published, today, by=hull)
    services.record_review(published, hull.place, "endorse", by=hull)
    services.sign_off(published, by=secretariat, version=published.latest_version().number)
    services.mark_submitted(published, today, by=secretariat)
    world["published"] = published


def pk(key: str = "consultation") -> object:
    return lambda w: {"pk": w[key].pk}


def action(name: str, **more: object) -> object:
    return lambda w: {"action": name, **{k: v(w) if callable(v) else v for k, v in more.items()}}


ROWS = [
    Row("consultations:open", EVERYONE),
    Row("consultations:archive", EVERYONE),
    Row("consultations:published", EVERYONE, kwargs=pk("published")),
    Row("consultations:published", NOWHERE, kwargs=pk(), label="not yet published"),
    Row("consultations:ledger", EVERYONE),
    Row("consultations:ledger-csv", EVERYONE),
    Row("consultations:export", EVERYONE, kwargs=lambda w: {"pk": w["published"].pk, "fmt": "docx"}),
    Row("consultations:export", EVERYONE, kwargs=lambda w: {"pk": w["published"].pk, "fmt": "pdf"}, label="pdf"),
    Row(
        "consultations:export",
        NOWHERE,
        kwargs=lambda w: {"pk": w["consultation"].pk, "fmt": "pdf"},
        label="in review: not signed off",
    ),
    Row(
        "consultations:export",
        NOWHERE,
        kwargs=lambda w: {"pk": w["published"].pk, "fmt": "odt"},
        label="no such format",
    ),
    Row("consultations:register", STAFF),
    Row("consultations:detail", STAFF, kwargs=pk()),
    Row("consultations:versions", STAFF, kwargs=pk()),
    Row("consultations:compare", STAFF, kwargs=pk(), query="from=1&to=2"),
    Row("consultations:review", STAFF, kwargs=pk()),
    Row("consultations:asks", STAFF, kwargs=pk()),
    Row("consultations:history", STAFF, kwargs=pk()),
    Row("consultations:document", STAFF, kwargs=lambda w: {"pk": w["consultation"].pk, "doc": w["document"].pk}),
    Row("consultations:edit", LEAD, kwargs=pk()),
    # The Welsh version: the lead place (Hull for `published`) and the secretariat, once signed off.
    Row("consultations:welsh", expect(SIGN_IN, 403, 403, 200, 200), kwargs=pk("published")),
    Row("consultations:welsh", expect(SIGN_IN, 403, 404, 403, 404), kwargs=pk(), label="not yet signed off"),
    Row("consultations:new", SECRETARIAT),
    Row("consultations:import", SECRETARIAT),
    Row("consultations:details", SECRETARIAT, kwargs=pk()),
    # Actions.
    Row(
        "consultations:detail",
        expect(SIGN_IN, 403, 302, 302, 302),
        kwargs=pk(),
        method="POST",
        data=action("comment", section=lambda w: w["section"].pk, text="Good."),
        label="comment",
    ),
    Row(
        "consultations:review",
        expect(SIGN_IN, 403, 302, 302, 403),
        kwargs=pk(),
        method="POST",
        data=action("record", decision="endorse"),
        label="record our place's decision",
    ),
    Row(
        "consultations:review",
        expect(SIGN_IN, 403, 302, 403, 302),
        kwargs=pk(),
        method="POST",
        data=action("remind"),
        label="send reminders",
    ),
    Row(
        "consultations:review",
        expect(SIGN_IN, 403, 403, 403, 200),
        kwargs=pk(),
        method="POST",
        data=action("sign-off"),
        label="sign off: asks for confirmation",
    ),
    Row(
        "consultations:edit",
        expect(SIGN_IN, 403, 302, 403, 302),
        kwargs=pk(),
        method="POST",
        data=action("question", question="Anything else?"),
        label="add a question",
    ),
    Row(
        "consultations:asks",
        expect(SIGN_IN, 403, 302, 403, 302),
        kwargs=pk(),
        method="POST",
        data=action("add", text="Ask", department="HMT"),
        label="record an ask",
    ),
    Row("api:list_consultations", EVERYONE),
    Row("api:list_asks", EVERYONE),
]
