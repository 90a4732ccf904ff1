"""Expected statuses for the evidence base: every page, download and API endpoint is public."""

from keycities.tests.access import EVERYONE, Row

ROWS = [
    Row("observatory:catalogue", EVERYONE),
    Row("observatory:compare", EVERYONE, query="indicator=population&groups=key-cities&places=hull"),
    Row("observatory:place", EVERYONE, kwargs={"slug": "coventry"}),
    Row("observatory:place-csv", EVERYONE, kwargs={"slug": "coventry"}),
    Row("observatory:indicator", EVERYONE, kwargs={"slug": "population"}),
    Row("observatory:indicator-series-csv", EVERYONE, kwargs={"slug": "population"}),
    Row("api:list_indicators", EVERYONE),
    Row("api:get_indicator", EVERYONE, kwargs={"slug": "population"}),
    Row("api:data", EVERYONE, query="indicator=population&area=E08000026&period=2024"),
    Row("api:aggregate", EVERYONE, kwargs={"slug": "key-cities"}, query="indicator=population&period=2024"),
    Row("api:series", EVERYONE, kwargs={"slug": "core-cities"}, query="indicator=population"),
    Row("api:download", EVERYONE, kwargs={"table": "releases"}),
    Row("api:datapackage", EVERYONE),
]
