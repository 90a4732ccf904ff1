"""Indexes for the coverage page at scale (ADR 0029): each link table of interactions indexed by the other end
first, then the interaction, so that a department's, a person's, a place's or a work area's links are read from
the index alone (the automatic indexes hold one column each); and the coverage log by date.

The link tables are Django's own (no model of ours to declare an index on), hence plain SQL that SQLite and
PostgreSQL both accept."""

from django.db import migrations, models

LINKS = [  # (index, table, columns)
    ("engagement_people_by_person", "engagement_interaction_people", "person_id, interaction_id"),
    ("engagement_orgs_by_org", "engagement_interaction_organisations", "organisation_id, interaction_id"),
    ("engagement_places_by_place", "engagement_interaction_places", "place_id, interaction_id"),
    ("engagement_areas_by_area", "engagement_interaction_work_areas", "workarea_id, interaction_id"),
    ("engagement_interaction_id_date", "engagement_interaction", "id, date"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0006_interaction_date_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="mediacoverage",
            index=models.Index(fields=["date"], name="mediacoverage_date"),
        ),
        *[
            migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({columns})", f"DROP INDEX {name}")
            for name, table, columns in LINKS
        ],
    ]
