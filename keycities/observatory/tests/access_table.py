"""Expected statuses for the evidence base: every page, download and API endpoint is public; the new-release
upload pages are for the secretariat."""

import datetime as dt

from keycities.tests.access import EVERYONE, SECRETARIAT, SIGN_IN, Row, World, expect


def build(world: World) -> None:
    from keycities.observatory.models import ReleaseUpload

    world["upload"] = ReleaseUpload.objects.create(
        source="els-pay", release_date=dt.date(2025, 10, 23), file_name="gross-median-weekly-pay.csv",
        stored="tmp/none.upload", sha256="0" * 64, state=ReleaseUpload.State.READY,
        uploaded_by=world["users"]["secretariat"],
    )  # fmt: skip


ROWS = [
    Row("observatory:catalogue", EVERYONE),
    Row("observatory:compare", EVERYONE, query="indicator=population&groups=key-cities&places=hull"),
    Row("observatory:place", EVERYONE, kwargs={"slug": "coventry"}),
    Row("observatory:place-csv", EVERYONE, kwargs={"slug": "coventry"}),
    Row("observatory:indicator", EVERYONE, kwargs={"slug": "population"}),
    Row("observatory:indicator-series-csv", EVERYONE, kwargs={"slug": "population"}),
    Row("observatory:uploads", SECRETARIAT),
    Row("observatory:upload", SECRETARIAT, kwargs=lambda w: {"pk": w["upload"].pk}),
    Row(
        "observatory:upload",
        expect(SIGN_IN, 403, 403, 403, 302),
        kwargs=lambda w: {"pk": w["upload"].pk},
        method="POST",
        data={"action": "discard", "seen": "ready"},
        label="discard",
    ),
    Row("api:list_indicators", EVERYONE),
    Row("api:get_indicator", EVERYONE, kwargs={"slug": "population"}),
    Row("api:data", EVERYONE, query="indicator=population&area=E08000026&period=2024"),
    Row("api:aggregate", EVERYONE, kwargs={"slug": "key-cities"}, query="indicator=population&period=2024"),
    Row("api:series", EVERYONE, kwargs={"slug": "core-cities"}, query="indicator=population"),
    Row("api:download", EVERYONE, kwargs={"table": "releases"}),
    Row("api:datapackage", EVERYONE),
]
