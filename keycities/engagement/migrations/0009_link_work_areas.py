"""The interaction's work areas on its people and organisation links (ADR 0029, the interaction's work areas on
its links).

The work-area link table was Django's automatic one; it becomes the explicit through model InteractionWorkArea
on the same table and columns (state only), whose writes keep the copies. The people and organisation links
gain `work_areas` (the interaction's work-area ids between commas, ",3,7,"), filled from the work-area links,
and their (subject, date, interaction) indexes take it as a last column, so that the coverage page's
(department, work area) pairs are read from the index alone."""

import django.db.models.deletion
from django.db import migrations, models

LINKS = ["InteractionPerson", "InteractionOrganisation"]


def fill_work_areas(apps, schema_editor):
    db = schema_editor.connection.alias
    found: dict[int, list[int]] = {}
    through = apps.get_model("engagement", "InteractionWorkArea")
    for interaction, area in through.objects.using(db).order_by("interaction_id", "workarea_id").values_list(
        "interaction_id", "workarea_id"
    ):
        found.setdefault(interaction, []).append(area)
    by_key: dict[str, list[int]] = {}
    for interaction, areas in found.items():
        by_key.setdefault(f",{','.join(map(str, sorted(set(areas))))},", []).append(interaction)
    for name in LINKS:
        link = apps.get_model("engagement", name)
        for key, ids in by_key.items():
            for start in range(0, len(ids), 500):
                link.objects.using(db).filter(interaction_id__in=ids[start : start + 500]).update(work_areas=key)


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0008_interaction_link_dates"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="InteractionWorkArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "interaction",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="engagement.interaction"),
                        ),
                        (
                            "workarea",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="network.workarea"),
                        ),
                    ],
                    options={
                        "db_table": "engagement_interaction_work_areas",
                        "unique_together": {("interaction", "workarea")},
                    },
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="work_areas",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", through="engagement.InteractionWorkArea", to="network.workarea"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RemoveIndex(model_name="interactionperson", name="engagement_people_by_date"),
        migrations.RemoveIndex(model_name="interactionorganisation", name="engagement_orgs_by_date"),
        *[
            migrations.AddField(
                model_name=name.lower(),
                name="work_areas",
                field=models.TextField(blank=True, default="", editable=False),
            )
            for name in LINKS
        ],
        migrations.RunPython(fill_work_areas, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="interactionperson",
            index=models.Index(fields=["person", "date", "interaction", "work_areas"], name="engagement_people_dated"),
        ),
        migrations.AddIndex(
            model_name="interactionorganisation",
            index=models.Index(
                fields=["organisation", "date", "interaction", "work_areas"], name="engagement_orgs_dated"
            ),
        ),
    ]
