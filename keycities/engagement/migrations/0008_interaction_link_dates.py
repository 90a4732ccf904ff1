"""The interaction's date on its people and organisation links (ADR 0029, coverage at scale).

The two link tables were Django's automatic ones; they become the explicit through models InteractionPerson
and InteractionOrganisation on the same tables and columns (state only), gain a `date` column filled from
their interaction, and are indexed by (person or organisation, date, interaction). Those indexes replace the
(person, interaction) and (organisation, interaction) ones of 0007, which are dropped first (SQLite rebuilds a
table to make a column NOT NULL and would not keep an index the models do not declare)."""

import django.db.models.deletion
from django.db import migrations, models

LINKS = [("InteractionPerson", "person", "engagement.person"),
         ("InteractionOrganisation", "organisation", "engagement.organisation")]  # fmt: skip
OLD = [("engagement_people_by_person", "engagement_interaction_people", "person_id, interaction_id"),
       ("engagement_orgs_by_org", "engagement_interaction_organisations", "organisation_id, interaction_id")]  # fmt: skip


def fill_dates(apps, schema_editor):
    Interaction = apps.get_model("engagement", "Interaction")
    for name, _, _ in LINKS:
        apps.get_model("engagement", name).objects.update(
            date=models.Subquery(Interaction.objects.filter(pk=models.OuterRef("interaction_id")).values("date")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0007_coverage_indexes"),
    ]

    operations = [
        *[
            migrations.RunSQL(f"DROP INDEX {name}", f"CREATE INDEX {name} ON {table} ({columns})")
            for name, table, columns in OLD
        ],
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *[
                    migrations.CreateModel(
                        name=name,
                        fields=[
                            (
                                "id",
                                models.BigAutoField(
                                    auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                                ),
                            ),
                            (
                                "interaction",
                                models.ForeignKey(
                                    on_delete=django.db.models.deletion.CASCADE, to="engagement.interaction"
                                ),
                            ),
                            (field, models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=to)),
                        ],
                        options={
                            "db_table": "engagement_interaction_people"
                            if field == "person"
                            else "engagement_interaction_organisations",
                            "unique_together": {("interaction", field)},
                        },
                    )
                    for name, field, to in LINKS
                ],
                migrations.AlterField(
                    model_name="interaction",
                    name="people",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="interactions",
                        through="engagement.InteractionPerson",
                        to="engagement.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="interactions",
                        through="engagement.InteractionOrganisation",
                        to="engagement.organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
        *[
            migrations.AddField(model_name=name.lower(), name="date", field=models.DateField(null=True))
            for name, _, _ in LINKS
        ],
        migrations.RunPython(fill_dates, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=name.lower(), name="date", field=models.DateField())
            for name, _, _ in LINKS
        ],
        migrations.AddIndex(
            model_name="interactionperson",
            index=models.Index(fields=["person", "date", "interaction"], name="engagement_people_by_date"),
        ),
        migrations.AddIndex(
            model_name="interactionorganisation",
            index=models.Index(fields=["organisation", "date", "interaction"], name="engagement_orgs_by_date"),
        ),
    ]
