"""Presenters, tested without a database on unsaved objects."""

import datetime as dt

from keycities.network import presenters


def test_place_csv_row_spells_out_cover_and_memberships() -> None:
    row = presenters.place_csv_row({
        "slug": "carlisle", "name": "Carlisle", "official_name": "", "nation": "England",
        "region": {"code": "E12000002", "name": "North West"}, "url": "/members/carlisle/",
        "areas": [
            {"code": "E07000028", "start": None, "end": dt.date(2023, 3, 31), "counted": True},
            {"code": "E06000063", "start": dt.date(2023, 4, 1), "end": None, "counted": False},
        ],
        "memberships": [{"group": "key-cities", "start": dt.date(2018, 1, 1), "end": None}],
        "work_areas_led": [],
    })  # fmt: skip
    assert row[6] == "E07000028 (/2023-03-31); E06000063 (2023-04-01/) [not counted]"
    assert row[7] == "key-cities (2018-01-01/)"
    assert row[8] == ""
