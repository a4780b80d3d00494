"""Benchmark of the baseline: the Verslag nulmeting PDF and the baseline results page.

Run from the project root:  .venv/bin/python benchmarks/bench_baseline.py

It uses a throwaway SQLite database and media folder under /tmp (removed afterwards), migrates it, builds one school
with a finalised baseline (all 21 criteria with realistic Dutch texts, who was present, advice) and measures:

(a) rendering one baseline PDF through reports.services.report_render: cold (the first render in the process,
    including WeasyPrint's import and font set-up) and warm (median of 10 further renders), with its queries;
(b) the baseline results page for that measurement: server time and queries (median of 20 requests through
    django.test.Client), checked to be the same for a second school. The page is baseline:measurement-results,
    else baseline:measurement-detail; when neither exists yet, that part is skipped.

Goals (issue 3): the page under 100 ms server time with a constant number of queries; one PDF under 1 s warm.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = Path(tempfile.mkdtemp(prefix="stempact-bench-", dir="/tmp"))

# Before Django reads its settings: a database and media of our own, eager Celery, quiet logs.
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")
os.environ["LOG_LEVEL"] = "WARNING"
os.environ["ALLOWED_HOSTS"] = "testserver"  # django.test.Client's host
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stempact.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

PDF_WARM_RUNS = 10
PAGE_RUNS = 20

#: (Toepassing, Werkpunt) per criterion, in the spirit of the source document's example report.
TEXTS: dict[int, tuple[str, str]] = {
    1: (
        "Leerlingen kiezen in de tweede graad zelf een verdiepingstraject; differentiatie gebeurt vooral in de "
        "wiskundelessen.",
        "Breid gepersonaliseerde leerpaden uit naar de STEM-projecten en volg de keuzes op in het leerlingvolgsysteem.",
    ),
    2: (
        "5-stappenplan van iSTEM; er wordt geëxploreerd met projectgebaseerd onderwijs in het eerste jaar.",
        "Maak gebruik van de begeleiding van iSTEM. Een betrokken STEM-leerkracht is van groot belang, maar maak je "
        "niet afhankelijk van één persoon.",
    ),
    3: (
        "Onderzoekscompetenties komen aan bod in de labo-lessen fysica en chemie (hypothese, proef, besluit).",
        "Laat leerlingen een eigen onderzoeksvraag uitwerken met data uit de praktijk van het mentorbedrijf.",
    ),
    4: (
        "STEM is een herkenbaar profiel met eigen lesuren in de eerste graad en een STEM-week per trimester.",
        "Veranker de STEM-uren ook in de derde graad, zodat de leerlijn doorloopt tot het zesde jaar.",
    ),
    5: (
        "STEM-onderwerpen en praktijk zijn gerelateerd aan reële situaties en minstens 2 vakken (wiskunde, fysica, "
        "techniek).",
        "Eindwerk wordt geïntegreerd voor alle finaliteiten en dit draagt bij tot een betere afstemming tussen "
        "onderwijs en arbeidsmarkt.",
    ),
    6: (
        "Leerlingen maken presentaties en presenteren hun eindresultaat aan de betrokken ondernemingen.",
        "Plan per graad minstens één bedrijfsbezoek en één gastles van een ingenieur of technicus.",
    ),
    7: (
        "Klassiek rapportensysteem met punten per vak, drie keer per jaar.",
        "Voeg tussentijdse feedbackmomenten toe bij projecten, met een rubric die leerlingen vooraf kennen.",
    ),
    8: (
        "Klasevaluaties en groepsgesprekken na elk project; zelf- en peerevaluatie in de STEM-les.",
        "Gebruik een portfolio waarin leerlingen hun groei in STEM-vaardigheden zelf bijhouden.",
    ),
    9: (
        "Het STEM-team telt acht leerkrachten met een master in de wetenschappen of ingenieurswetenschappen.",
        "Trek zij-instromers uit de industrie aan en begeleid ze met een mentor uit het STEM-team.",
    ),
    10: (
        "Professioneel ontwikkelingsplan dat in lijn ligt met de STEM-strategie van de school.",
        "Opleidingen registreren en kennis delen met alle betrokken leerkrachten en directieleden.",
    ),
    11: (
        "Er wordt beroep gedaan op verschillende opleidingspartners (bv. RTC, MTECH+, hogescholen).",
        "Professionaliseer het opleidingsbeleid: koppel elke opleiding aan een doel uit het actieplan.",
    ),
    12: (
        "Er is een visie en een missie; de directie trekt jaarlijks budget uit voor STEM-materiaal.",
        "Concretiseer verder wat de ambities zijn op het vlak van STEM en communiceer deze duidelijk intern en extern.",
    ),
    13: (
        "De STEM-strategie is in opmaak; vakgroepen werken samen in een STEM-werkgroep die maandelijks samenkomt.",
        "Maak de werkgroep vakoverschrijdend en nodig het mentorbedrijf twee keer per jaar uit.",
    ),
    14: (
        "Meisjes en leerlingen met een migratieachtergrond zijn ondervertegenwoordigd in de STEM-richtingen.",
        "Organiseer rolmodellen en een doe-dag voor meisjes in het tweede leerjaar.",
    ),
    15: (
        "Samenwerking met bedrijven: stages in de derde graad, Ondernemer voor de klas, materiaaldonaties.",
        "Versterk de structurele samenwerking met het mentorbedrijf rond een gemeenschappelijk project.",
    ),
    16: (
        "STEM-adviesraad met ouders; pedagogische praatcafés twee keer per jaar.",
        "Zorg ervoor dat de ouders van leerlingen voldoende op de hoogte zijn van het aanbod van jullie school en de "
        "mogelijkheden.",
    ),
    17: (
        "Structurele samenwerking met twee basisscholen in functie van de uitbouw van een STEM-leerlijn; "
        "deelname aan FIRST LEGO League.",
        "Deel lesmateriaal via een STEM-academie en sluit aan bij het regionale netwerk.",
    ),
    18: (
        "Occasionele workshops aan de hogeschool; geen structurele afspraken.",
        "Versterk de samenwerkingsmogelijkheden met de hogeronderwijsinstellingen in de buurt.",
    ),
    19: (
        "Leerlingen werken mee aan het klimaatplan van de gemeente (metingen luchtkwaliteit).",
        "Maak van dit project een jaarlijkse traditie en betrek de lokale pers.",
    ),
    20: (
        "Goed uitgeruste labo's; een makerspace met 3D-printers en een lasersnijder.",
        "Samenwerkingen met lokale actoren zullen nodig zijn om leerplannen te blijven realiseren.",
    ),
    21: (
        "Het lesmateriaal is up-to-date; er zijn materiaaldonaties van ondernemingen uit de buurt.",
        "Materiaal heeft vaak een grote kostprijs, dus ook hier kan het relevant zijn om structurele partnerschappen "
        "aan te gaan met ondernemingen uit de buurt.",
    ),
}
ELEMENT_ADVICE = {
    1: "Laat je begeleiden door iSTEM bij een geïntegreerd STEM-project in de tweede graad.",
    2: "Werk met het mentorbedrijf een eindwerk uit dat in alle finaliteiten past.",
    4: "Maak een opleidingsplan per leerkracht en deel wat geleerd is in de STEM-werkgroep.",
    6: "Leg de samenwerking met de hogeschool vast in een jaarlijkse afspraak.",
}
COACH_ADVICE = (
    "Jullie school heeft een sterke basis in de samenwerking met bedrijven. Werk het komende jaar vooral aan het "
    "leerplan en de professionalisering van de STEM-leerkrachten, samen met jullie mentorbedrijf, en laat je "
    "begeleiden door iSTEM bij een geïntegreerd STEM-project."
)


def build_measurement(edition, school_name: str, adviser, seed: int):  # type: ignore[no-untyped-def]
    """A finalised baseline of a new school, built through the services like a real conversation."""
    from baseline import services
    from baseline.models import Criterion, KeyElement
    from partners.tests import factories as f

    participation = f.ParticipationFactory(edition=edition, school=f.SchoolFactory(name=school_name))
    measurement = services.measurement_start(participation=participation, by=adviser)
    criteria = {c.number: c.pk for c in Criterion.objects.filter(pk__in=measurement.assessments.values("criterion"))}
    elements = {e.number: e.pk for e in KeyElement.objects.filter(framework=measurement.framework)}
    measurement = services.measurement_save(
        measurement=measurement,
        by=adviser,
        version=measurement.version,
        data=services.MeasurementInput(
            assessments={
                pk: {"level": (number * seed) % 4, "practice": TEXTS[number][0], "improvement": TEXTS[number][1]}
                for number, pk in criteria.items()
            },
            meeting={
                "meeting_date": dt.date(2026, 12, 1),
                "present_director": "An Peeters",
                "present_tac": "Bram Janssens",
                "present_adviser": adviser.get_full_name(),
                "present_others": "Dina Claes (STEM-leerkracht), Eva Wouters (leerlingenbegeleiding)",
                "advice": COACH_ADVICE,
            },
            element_advice={elements[n]: text for n, text in ELEMENT_ADVICE.items()},
            focus_element_ids=[elements[n] for n in (1, 2, 4, 6)],
        ),
    )
    measurement = services.measurement_submit(measurement=measurement, by=adviser)
    return services.measurement_finalise(measurement=measurement, by=adviser)


def bench_pdf(measurement, adviser) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from reports.models import Report
    from reports.services import report_render

    def render_once() -> tuple[float, int, Report]:
        report = Report.objects.create(kind=Report.Kind.BASELINE, measurement=measurement, requested_by=adviser)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            report_render(report=report)
            elapsed = time.perf_counter() - started
        assert report.status == Report.Status.READY, report.error
        return elapsed, len(queries), report

    cold, _, report = render_once()
    warm = [render_once() for _ in range(PDF_WARM_RUNS)]
    times = [t for t, _, _ in warm]
    query_counts = sorted({q for _, q, _ in warm})
    with report.file.open("rb") as stored:
        pages = len(PdfReader(stored).pages)
    median = statistics.median(times)
    return [
        ("PDF render, cold (first in process)", f"{cold * 1000:.0f} ms", "—"),
        (
            f"PDF render, warm (median of {PDF_WARM_RUNS})",
            f"{median * 1000:.0f} ms",
            f"< 1000 ms {'OK' if median < 1 else 'MISSED'}",
        ),
        ("PDF render, warm min / max", f"{min(times) * 1000:.0f} / {max(times) * 1000:.0f} ms", ""),
        ("PDF render, queries", ", ".join(map(str, query_counts)), ""),
        ("PDF pages / size", f"{pages} / {report.file.size / 1024:.0f} kB", ""),
    ]


def page_url(measurement) -> str | None:  # type: ignore[no-untyped-def]
    for name in ("baseline:measurement-results", "baseline:measurement-detail"):
        try:
            return reverse(name, args=[measurement.pk])
        except NoReverseMatch:
            continue
    return None


def bench_page(measurements, adviser) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    url = page_url(measurements[0])
    if url is None:
        print("Results page: page not available yet (neither baseline:measurement-results nor -detail resolves).")
        return [("results page", "page not available yet", "")]
    client = Client(raise_request_exception=False)  # a broken page is reported, not a crash of the benchmark
    client.force_login(adviser)
    first = client.get(url)  # warm up the URL resolver, templates and session
    if first.status_code != 200:
        return [(f"results page {url}", f"HTTP {first.status_code}", "skipped")]
    times: list[float] = []
    counts: set[int] = set()
    for _ in range(PAGE_RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
        counts.add(len(queries))
    other_counts = set()
    for other in measurements[1:]:
        with CaptureQueriesContext(connection) as queries:
            client.get(page_url(other))  # type: ignore[arg-type]
        other_counts.add(len(queries))
    median = statistics.median(times)
    constant = len(counts) == 1 and other_counts <= counts
    return [
        (
            f"results page {url} (median of {PAGE_RUNS})",
            f"{median * 1000:.1f} ms",
            f"< 100 ms {'OK' if median < 0.1 else 'MISSED'}",
        ),
        ("results page min / max", f"{min(times) * 1000:.1f} / {max(times) * 1000:.1f} ms", ""),
        (
            "results page queries (this school; another school)",
            f"{', '.join(map(str, sorted(counts)))}; {', '.join(map(str, sorted(other_counts)))}",
            f"constant {'OK' if constant else 'MISSED'}",
        ),
    ]


def main() -> None:
    from partners.tests import factories as f

    print(f"Setting up a throwaway database in {WORKDIR} ...", flush=True)
    call_command("migrate", verbosity=0)
    edition = f.EditionFactory()
    adviser = f.adviser("antwerpen-waasland")
    adviser.first_name, adviser.last_name = "Chris", "Maes"
    adviser.save()
    measurements = [
        build_measurement(edition, "GO! Koninklijk Atheneum Antwerpen", adviser, seed=1),
        build_measurement(edition, "Sint-Jan Berchmanscollege Westmalle", adviser, seed=3),
    ]

    rows = bench_pdf(measurements[0], adviser) + bench_page(measurements, adviser)
    import weasyprint  # only now: the cold render includes importing it

    print()
    print(
        f"STEMpact baseline benchmark — {dt.date.today().isoformat()} · {platform.system()} {platform.machine()} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()} · Django {django.get_version()} · "
        f"WeasyPrint {weasyprint.__version__} · SQLite"
    )
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value'.ljust(value_width)}  goal")
    print(f"{'-' * width}  {'-' * value_width}  {'-' * 16}")
    for name, value, goal in rows:
        print(f"{name.ljust(width)}  {value.ljust(value_width)}  {goal}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
