"""The team's commentary on the plan and on its effort areas, beside the
commentary on an activity: every commentary names its plan."""

import django.db.models.deletion
from django.db import migrations, models


def fill_plan(apps, schema_editor):  # type: ignore[no-untyped-def]
    Commentary = apps.get_model("plans", "Commentary")
    for commentary in Commentary.objects.select_related("activity"):
        commentary.plan_id = commentary.activity.plan_id
        commentary.save(update_fields=["plan"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_working_notes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="commentary",
            name="commentary_once_per_period",
        ),
        migrations.AddField(
            model_name="commentary",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commentaries",
                to="plans.plan",
            ),
        ),
        migrations.RunPython(fill_plan, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commentary",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commentaries",
                to="plans.plan",
            ),
        ),
        migrations.AddField(
            model_name="commentary",
            name="effort_area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commentaries",
                to="plans.effortarea",
            ),
        ),
        migrations.AlterField(
            model_name="commentary",
            name="activity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commentaries",
                to="plans.activity",
            ),
        ),
        migrations.AlterModelOptions(
            name="commentary",
            options={
                "ordering": ["plan", "effort_area", "activity", "period"],
                "verbose_name_plural": "commentaries",
            },
        ),
        migrations.AddConstraint(
            model_name="commentary",
            constraint=models.UniqueConstraint(
                condition=models.Q(activity__isnull=False),
                fields=("activity", "period"),
                name="commentary_once_per_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="commentary",
            constraint=models.UniqueConstraint(
                condition=models.Q(effort_area__isnull=False),
                fields=("effort_area", "period"),
                name="effort_area_commentary_once_per_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="commentary",
            constraint=models.UniqueConstraint(
                condition=models.Q(activity__isnull=True, effort_area__isnull=True),
                fields=("plan", "period"),
                name="plan_commentary_once_per_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="commentary",
            constraint=models.CheckConstraint(
                condition=models.Q(effort_area__isnull=True)
                | models.Q(activity__isnull=True),
                name="commentary_on_one_level",
            ),
        ),
    ]
