"""The expected-status table: what every routed view answers to every role.

There is one table, assembled from the rows each app declares beside its own tests, in
`keycities/<app>/tests/access_table.py`:

    ROWS = [Row("proposals:review", expect(SIGN_IN, 200, 200, 404, 200), kwargs=lambda w: {...})]

    def build(world: World) -> None:      # optional: objects the rows refer to
        world["proposal"] = ...

`keycities/tests/test_access_table.py` requests every row as every role and compares the
status with the table, and fails if any routed view (the pages and the API; the Django admin
has its own, tested, rules) has no row. A new view therefore cannot be added without saying,
for each role, what it must answer.

Roles:
- anonymous: not signed in;
- partner: a signed-in partner (who submitted `world["proposal"]`);
- officer: an officer of Bradford, a member place that leads the Skills work area and the
  consultation in `world`;
- other_officer: an officer of Hull, another member place that leads nothing here;
- outsider: an account with the officer role whose place is not a member (Manchester, a Core
  City), which `User.clean` refuses but an old account or a place that left could still have:
  it must get nothing an officer gets;
- secretariat.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings

ROLES = ("anonymous", "partner", "officer", "other_officer", "outsider", "secretariat")
SIGN_IN = "sign-in"  # a 302 to the sign-in page
Status = int | str
World = dict[str, Any]
Value = Mapping[str, Any] | Callable[[World], Mapping[str, Any]]


def expect(anonymous: Status, partner: Status, officer: Status, other_officer: Status, secretariat: Status,
           *, outsider: Status | None = None) -> dict[str, Status]:  # fmt: skip
    """One status per role, in the order of ROLES (an outsider gets what a partner gets unless given)."""
    return {"anonymous": anonymous, "partner": partner, "officer": officer, "other_officer": other_officer,
            "outsider": partner if outsider is None else outsider, "secretariat": secretariat}  # fmt: skip


EVERYONE = expect(200, 200, 200, 200, 200)
SIGNED_IN = expect(SIGN_IN, 200, 200, 200, 200)
STAFF = expect(SIGN_IN, 403, 200, 200, 200)
SECRETARIAT = expect(SIGN_IN, 403, 403, 403, 200)
API_SIGNED_IN = expect(401, 200, 200, 200, 200)


@dataclass(frozen=True)
class Row:
    """One request and what each role must get."""

    view: str  # the URL name, e.g. "proposals:review" or "api:get_proposal"
    expect: Mapping[str, Status]
    kwargs: Value = field(default_factory=dict)
    query: str = ""
    method: str = "GET"
    data: Value | None = None
    json: bool = False  # send `data` as a JSON body
    label: str = ""  # tells apart rows for the same view

    @property
    def id(self) -> str:
        return f"{self.method} {self.view}" + (f" [{self.label}]" if self.label else "")


def _resolve(value: Value | None, world: World) -> Mapping[str, Any]:
    if value is None:
        return {}
    return value(world) if callable(value) else value


def url(row: Row, world: World) -> str:
    from django.urls import reverse
    from django.utils import translation

    # The English address, whatever language the last request left active in this thread.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(row.view, kwargs=dict(_resolve(row.kwargs, world)))
    return path + (f"?{row.query}" if row.query else "")


def data(row: Row, world: World) -> Mapping[str, Any]:
    return _resolve(row.data, world)


def tables() -> Iterator[Any]:
    """Every app's access_table module (and the project's own), in INSTALLED_APPS order."""
    names = ["keycities.tests.access_table"] + [
        f"{config.name}.tests.access_table" for config in apps.get_app_configs() if config.name.startswith("keycities.")
    ]
    for name in names:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def rows() -> list[Row]:
    return [row for table in tables() for row in table.ROWS]
