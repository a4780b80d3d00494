"""Load the default reference data: regions, study areas, NACE mapping, STEM projects and Belgian postcodes."""

import csv
from pathlib import Path

from django.db import migrations

from partners import reference

POSTCODES_CSV = Path(__file__).resolve().parent.parent / "data" / "be_postcodes.csv"


def load(apps, schema_editor):
    Region = apps.get_model("partners", "Region")
    StudyArea = apps.get_model("partners", "StudyArea")
    NaceDivision = apps.get_model("partners", "NaceDivision")
    StemProject = apps.get_model("partners", "StemProject")
    Postcode = apps.get_model("partners", "Postcode")

    for slug, name, email in reference.REGIONS:
        Region.objects.update_or_create(slug=slug, defaults={"name": name, "email": email})
    areas = {}
    for slug, name, name_en in reference.STUDY_AREAS:
        areas[slug], _ = StudyArea.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    for code, (description, slugs) in reference.NACE_DIVISIONS.items():
        division, _ = NaceDivision.objects.update_or_create(code=code, defaults={"description": description})
        division.study_areas.set([areas[s] for s in slugs])
    for name, description in reference.STEM_PROJECTS:
        StemProject.objects.update_or_create(name=name, defaults={"description": description})

    with POSTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [
            Postcode(
                code=row["postcode"],
                municipality=row["municipality"],
                province=row["province"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]
    Postcode.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("partners", "Postcode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
