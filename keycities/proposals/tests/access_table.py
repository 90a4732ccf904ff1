"""Expected statuses for 'Work with us' and the reviewers' pages.

`proposal` was sent by the partner (signed in) and `anonymous_proposal` by someone without an
account; both are about Skills, which Bradford (the officer's place) leads. `named_proposal` is about Skills too
and names Hull (the other officer's place) as involved: Hull's officers read it but do not review it."""

from django.core.files.base import ContentFile

from keycities.tests.access import API_SIGNED_IN, EVERYONE, SECRETARIAT, SIGN_IN, Row, World, expect

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build(world: World) -> None:
    from keycities.network.models import Place, WorkArea
    from keycities.proposals import services
    from keycities.proposals.models import Attachment

    def send(user: object, name: str, places: list[object] | None = None) -> tuple[object, str]:
        sent = services.submit(
            services.Draft(
                name=name,
                email=f"{name.split()[0].lower()}@example.org",
                organisation="",
                organisation_type="charity",
                work_areas=[WorkArea.objects.get(slug="skills")],
                not_sure=False,
                places=places or [],  # type: ignore[arg-type]
                title=f"{name}'s idea",
                summary="A summary.",
                details="The details.",
                files=[],
            ),
            user=user,
        )
        Attachment.objects.create(
            proposal=sent.proposal,
            file=ContentFile(PDF, name="plan.pdf"),
            original_name="plan.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
        )
        return sent.proposal, sent.token

    world["proposal"], world["token"] = send(world["users"]["partner"], "Pat Partner")
    world["anonymous_proposal"], _ = send(None, "Ann Onymous")
    world["named_proposal"], _ = send(None, "Nia Named", places=[Place.objects.get(slug="hull")])


def ref(key: str = "proposal") -> object:
    return lambda w: {"reference": w[key].reference}


def attachment(w: World) -> dict[str, object]:
    return {"reference": w["proposal"].reference, "pk": w["proposal"].attachments.get().pk}


OWN = expect(SIGN_IN, 200, 200, 404, 200, outsider=404)  # the partner's own proposal; Bradford's queue
NOT_OWN = expect(SIGN_IN, 404, 200, 404, 200, outsider=404)
REDIRECT_ALL = expect(302, 302, 302, 302, 302)

ROWS = [
    Row("proposals:start", EVERYONE),
    Row("proposals:check", REDIRECT_ALL, label="no draft: back to the form"),
    Row("proposals:confirmation", REDIRECT_ALL, label="nothing sent: back to the form"),
    Row("proposals:status", EVERYONE, kwargs=lambda w: {"token": w["token"]}, label="the private link"),
    Row("proposals:status", expect(404, 404, 404, 404, 404), kwargs={"token": "not-a-token"}, label="a wrong link"),
    Row("proposals:queue", expect(SIGN_IN, 200, 200, 200, 200)),
    Row("proposals:export", expect(SIGN_IN, 403, 200, 200, 200)),
    Row("proposals:people", SECRETARIAT),
    Row("proposals:people", SECRETARIAT, method="POST", data={"email": "pat@example.org"}, label="export"),
    Row("proposals:review", OWN, kwargs=ref(), label="the partner's proposal"),
    Row("proposals:review", NOT_OWN, kwargs=ref("anonymous_proposal"), label="someone else's proposal"),
    Row(
        "proposals:review",
        expect(SIGN_IN, 404, 302, 404, 302, outsider=404),
        kwargs=ref("anonymous_proposal"),
        method="POST",
        data={"transition": "1", "t-status": "under-review"},
        label="change status",
    ),
    Row(
        "proposals:review",
        expect(SIGN_IN, 403, 302, 404, 302, outsider=404),
        kwargs=ref(),
        method="POST",
        data={"note": "1", "n-note": "Private."},
        label="a private note on the partner's own proposal",
    ),
    Row(
        "proposals:review",
        expect(SIGN_IN, 404, 200, 200, 200, outsider=404),
        kwargs=ref("named_proposal"),
        label="a proposal naming Hull",
    ),
    Row(
        "proposals:review",
        expect(SIGN_IN, 404, 302, 403, 302, outsider=404),
        kwargs=ref("named_proposal"),
        method="POST",
        data={"transition": "1", "t-status": "under-review"},
        label="Hull reads a proposal naming it but does not review it",
    ),
    Row("proposals:attachment", OWN, kwargs=attachment),
    Row("api:list_proposals", API_SIGNED_IN),
    Row("api:get_proposal", expect(401, 200, 200, 404, 200, outsider=404), kwargs=ref()),
    Row(
        "api:get_proposal",
        expect(401, 404, 200, 404, 200, outsider=404),
        kwargs=ref("anonymous_proposal"),
        label="someone else's proposal",
    ),
    Row("api:suggest_work_areas", EVERYONE, method="POST", json=True, data={"title": "Adult skills bootcamps"}),
    Row("api:suggest_work_areas", expect(405, 405, 405, 405, 405), label="POST only"),
]
