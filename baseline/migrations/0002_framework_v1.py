"""Load version 1 of the STEM School Label framework (7 key elements, 21 criteria, Dutch and English)."""

from django.db import migrations

from baseline import framework_data


def load(apps, schema_editor):
    Framework = apps.get_model("baseline", "Framework")
    KeyElement = apps.get_model("baseline", "KeyElement")
    Criterion = apps.get_model("baseline", "Criterion")
    framework, _ = Framework.objects.update_or_create(
        slug=framework_data.FRAMEWORK["slug"], defaults={k: v for k, v in framework_data.FRAMEWORK.items() if k != "slug"}
    )
    elements = {}
    for number, name, name_en, short, short_en in framework_data.ELEMENTS:
        elements[number], _ = KeyElement.objects.update_or_create(
            framework=framework,
            number=number,
            defaults={"name": name, "name_en": name_en, "short_name": short, "short_name_en": short_en},
        )
    for number, element, name, name_en, guidance, guidance_en, example, example_en in framework_data.CRITERIA:
        Criterion.objects.update_or_create(
            element=elements[element],
            number=number,
            defaults={
                "name": name,
                "name_en": name_en,
                "guidance": guidance,
                "guidance_en": guidance_en,
                "example": example,
                "example_en": example_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("baseline", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
