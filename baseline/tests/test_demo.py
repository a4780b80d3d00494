import pytest
from django.core.management import call_command

from baseline.models import Measurement
from partners.models import Participation

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_every_school_past_registration_a_finalised_baseline_and_runs_twice(capsys):
    call_command("seed_demo", force=True)
    baselines = Measurement.objects.filter(kind=Measurement.Kind.BASELINE)
    past_registration = Participation.objects.exclude(status=Participation.Status.REGISTERED)
    assert set(baselines.values_list("participation", flat=True)) == set(past_registration.values_list("pk", flat=True))
    assert set(baselines.values_list("status", flat=True)) == {Measurement.Status.FINALISED}
    # The previous edition is over: its schools also have an end measurement based on their baseline.
    ends = Measurement.objects.filter(kind=Measurement.Kind.END).select_related("based_on", "participation__edition")
    assert ends and all(e.based_on.participation_id == e.participation_id for e in ends)
    assert {e.participation.edition.slug for e in ends} == {"2025-2026"}
    count = Measurement.objects.count()
    call_command("seed_demo", force=True)
    assert Measurement.objects.count() == count
    assert "Measurements: 0 created" in capsys.readouterr().out
