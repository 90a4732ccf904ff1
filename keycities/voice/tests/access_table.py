"""Expected statuses for residents' voice. `survey` is open, for Bradford (the officer's place) only;
`closed_survey` is closed with published results, for Bradford and Hull; `private_results` is closed and
unpublished, for Hull; `voice_token` is a response in progress to `survey`."""

from __future__ import annotations

from keycities.tests.access import EVERYONE, SIGN_IN, STAFF, Row, World, expect


def build(world: World) -> None:
    from keycities.network.models import Place
    from keycities.voice import services

    from .factories import close, make_survey

    world["survey"] = make_survey("open-survey", ("bradford",))
    closed = make_survey("closed-survey", ("bradford", "hull"))
    world["closed_survey"] = close(closed)
    services.publish_results(world["closed_survey"], True)
    world["private_results"] = close(make_survey("private-results", ("hull",)))
    _response, world["voice_token"] = services.start_response(world["survey"], Place.objects.get(slug="bradford"))


def slug(key: str) -> object:
    return lambda w: {"slug": w[key].slug}


def token(w: World) -> dict[str, object]:
    return {"token": w["voice_token"]}


MANAGERS = expect(SIGN_IN, 403, 200, 404, 200, outsider=403)  # Bradford's survey
NOBODY = expect(404, 404, 404, 404, 404)

ROWS = [
    Row("voice:index", EVERYONE),
    Row("voice:survey", EVERYONE, kwargs=slug("survey")),
    Row(
        "voice:survey",
        expect(404, 404, 404, 200, 200, outsider=404),
        kwargs=slug("private_results"),
        label="closed, unpublished, Hull's: its managers only",
    ),
    Row("voice:question", EVERYONE, kwargs=lambda w: {**token(w), "position": 1}),
    Row("voice:question", NOBODY, kwargs={"token": "not-a-token", "position": 1}, label="a wrong link"),
    Row("voice:check", EVERYONE, kwargs=token),
    Row("voice:saved", EVERYONE, kwargs=token),
    Row("voice:done", expect(302, 302, 302, 302, 302), kwargs=token, label="not sent yet: to check"),
    Row("voice:results", EVERYONE, kwargs=slug("closed_survey")),
    Row(
        "voice:results",
        expect(404, 404, 404, 200, 200, outsider=404),
        kwargs=slug("private_results"),
        label="unpublished: its managers only",
    ),
    Row("voice:results-csv", EVERYONE, kwargs=lambda w: {"slug": w["closed_survey"].slug, "table": "answers"}),
    Row(
        "voice:results-csv",
        expect(404, 404, 404, 200, 200, outsider=404),
        kwargs=lambda w: {"slug": w["private_results"].slug, "table": "representativeness"},
        label="unpublished",
    ),
    Row("voice:manage", STAFF),
    Row("voice:create", STAFF),
    Row("voice:edit", MANAGERS, kwargs=slug("survey")),
    Row(
        "voice:edit",
        expect(SIGN_IN, 403, 403, 403, 302, outsider=403),
        kwargs=slug("closed_survey"),
        method="POST",
        data={"unpublish": "1"},
        label="two places: the secretariat only",
    ),
    Row("voice:question-edit", MANAGERS, kwargs=lambda w: {"slug": w["survey"].slug, "position": 1}),
    Row(
        "voice:question-edit",
        expect(SIGN_IN, 403, 400, 404, 400, outsider=403),
        kwargs=lambda w: {"slug": w["survey"].slug, "position": 1},
        method="POST",
        data={"kind": "single", "text": "Changed?", "text_cy": "Newidiwyd?", "options": "A\nB", "options_cy": "A\nB"},
        label="a resident has started answering: refused, with the reason",
    ),
    Row(
        "voice:edit",
        expect(SIGN_IN, 403, 302, 404, 302, outsider=403),
        kwargs=slug("survey"),
        method="POST",
        data={"remove": "1", "question": "1"},
        label="remove a question once answering has started: refused, back to the page with the reason",
    ),
    Row("voice:themes", MANAGERS, kwargs=lambda w: {"slug": w["survey"].slug, "position": 5}),
    Row("api:list_surveys", EVERYONE),
    Row("api:survey_results", EVERYONE, kwargs=slug("closed_survey")),
    Row(
        "api:survey_results",
        expect(404, 404, 404, 200, 200, outsider=404),
        kwargs=slug("private_results"),
        label="unpublished",
    ),
]
