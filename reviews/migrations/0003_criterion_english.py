"""Criteria in Dutch and English; the English of existing criteria from the theme names and the catalogue."""

from django.db import migrations, models


def fill_english(apps, schema_editor):
    from reviews import rubric

    Criterion = apps.get_model("reviews", "Criterion")
    general = {c.code: c for c in rubric.GENERAL_CRITERIA}
    _theme_description, theme_description_en = rubric.in_both_languages(rubric.THEME_DESCRIPTION)
    for criterion in Criterion.objects.select_related("theme").filter(title_en=""):
        if criterion.theme_id is not None:
            criterion.title_en = criterion.theme.name_en
            criterion.description_en = theme_description_en if criterion.description else ""
        elif criterion.code in general:
            _title, criterion.title_en = rubric.in_both_languages(general[criterion.code].title)
            _description, criterion.description_en = rubric.in_both_languages(general[criterion.code].description)
        else:
            continue
        criterion.save(update_fields=["title_en", "description_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_reviewer_profile"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="criterion",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="criterium (Engels)"),
        ),
        migrations.AddField(
            model_name="criterion",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="toelichting (Engels)"),
        ),
        migrations.RunPython(fill_english, migrations.RunPython.noop),
    ]
