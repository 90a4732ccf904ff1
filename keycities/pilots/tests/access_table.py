"""Expected statuses for pilots: published pilots, their outcomes and evaluations are public; a draft is for staff
(404 to anyone else); creating and making a pilot from a proposal are for the secretariat; editing, milestones,
outcomes, comparators and evaluating are for the secretariat and officers of the pilot's places (Bradford here:
Hull's officer gets 403)."""

import datetime as dt

from keycities.tests.access import EVERYONE, SIGN_IN, Row, World, expect

STAFF_SEE = expect(404, 404, 200, 200, 200)
EDITORS = expect(SIGN_IN, 403, 200, 403, 200)
EDITORS_REDIRECT = expect(SIGN_IN, 403, 302, 403, 302)
CREATE = expect(SIGN_IN, 403, 403, 403, 200)


def build(world: World) -> None:
    from keycities.network.models import Place
    from keycities.pilots import services
    from keycities.pilots.models import Evaluation

    secretariat = world["users"]["secretariat"]
    bradford = Place.objects.get(slug="bradford")
    public = services.create_pilot(
        {
            "name": "Skills test bed",
            "kind": "new-approach",
            "summary": "A summary.",
            "places": [bradford],
            "published": True,
        },
        by=secretariat,
    )
    draft = services.create_pilot(
        {"name": "Draft pilot", "kind": "invest-to-save", "summary": "Not yet.", "places": [bradford]}, by=secretariat
    )
    outcome = services.add_outcome(
        public,
        {"indicator": "employment-rate", "place": bradford, "intervention": dt.date(2023, 4, 1), "expected": 1},
        by=secretariat,
    )
    Evaluation.objects.create(
        outcome=outcome,
        state=Evaluation.State.REFUSED,
        refusal={"code": "too-few-pre-periods", "params": {"count": 1, "needed": 5}},
    )
    world["pilot"], world["draft_pilot"], world["outcome"] = public, draft, outcome


def slug(key: str = "pilot") -> object:
    return lambda w: {"slug": w[key].slug}


def outcome(w: World) -> dict[str, object]:
    return {"slug": w["pilot"].slug, "pk": w["outcome"].pk}


ROWS = [
    Row("pilots:index", EVERYONE),
    Row("pilots:create", CREATE),
    Row(
        "pilots:from-proposal",
        expect(SIGN_IN, 403, 403, 403, 302),
        kwargs=lambda w: {"reference": w["proposal"].reference},
    ),
    Row("pilots:detail", EVERYONE, kwargs=slug()),
    Row("pilots:detail", STAFF_SEE, kwargs=slug("draft_pilot"), label="a draft"),
    Row("pilots:edit", EDITORS, kwargs=slug()),
    Row("pilots:edit", expect(SIGN_IN, 403, 200, 403, 200), kwargs=slug("draft_pilot"), label="a draft"),
    Row("pilots:milestone", EDITORS_REDIRECT, kwargs=slug()),
    Row("pilots:add-outcome", EDITORS, kwargs=slug()),
    Row("pilots:outcome", EVERYONE, kwargs=outcome),
    Row("pilots:comparators", EDITORS_REDIRECT, kwargs=outcome),
    Row("pilots:evaluate", EDITORS_REDIRECT, kwargs=outcome),
    Row("api:list_pilots", EVERYONE),
    Row("api:get_pilot", EVERYONE, kwargs=slug()),
    Row("api:get_pilot", STAFF_SEE, kwargs=slug("draft_pilot"), label="a draft"),
    Row("api:get_evaluation", EVERYONE, kwargs=slug(), query="indicator=employment-rate"),
]
