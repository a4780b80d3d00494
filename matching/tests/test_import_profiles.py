"""The mentor-profile columns of the companies import, and registering the imported schools in an edition."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from matching.imports import MentorProfileColumns
from matching.models import MentorProfile
from matching.tests.helpers import profile
from partners.enterprise import enterprise_check_digits
from partners.imports import (
    COMPANIES,
    OrganisationImportRejected,
    RowError,
    organisations_import,
    register_company_columns,
)
from partners.models import Company, Participation, School, StudyArea
from partners.tests import factories as f
from partners.tests.roles import client_for

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

HEADER = (
    "name,enterprise_number,street,postcode,municipality,nace_codes,"
    "capacity,hours_per_month,staff,multi_year,offers,expertise_elements"
)
VITALO = "Vitalo,0412.736.483,Industriestraat 10,8760,Meulebeke,22.290;27.330"
NIKO = "Niko,0430.615.266,Industriepark-West 40,9100,Sint-Niklaas,27.330"
AQUAFIN = "Aquafin,0624.391.869,Dijkstraat 8,2630,Aartselaar,37.000"
SCHOOLS = (
    "name,street,postcode,municipality,region,study_areas\n"
    "VTI Torhout,Sint-Jozefstraat 1,8820,Torhout,west-vlaanderen,mechanica\n"
    "Athena Heule,Kortrijksestraat 200,8501,Heule,west-vlaanderen,elektromechanica\n"
)


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def edition(db):
    return f.EditionFactory()


def companies(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join((header, *rows)) + "\n")


def enterprise_number(n: int) -> str:
    first_eight = f"0{500000 + n:07d}"
    return first_eight + enterprise_check_digits(first_eight)


def profile_of(name: str, edition) -> MentorProfile:
    return MentorProfile.objects.get(company__name=name, edition=edition)


def elements(p: MentorProfile) -> list[int]:
    return sorted(p.expertise_elements.values_list("number", flat=True))


def areas(p: MentorProfile) -> list[str]:
    return sorted(p.study_areas.values_list("slug", flat=True))


def rejected(**kwargs) -> list[RowError]:
    with pytest.raises(OrganisationImportRejected) as caught:
        organisations_import(**kwargs)
    return caught.value.errors


# --------------------------------------------------------------------------- a good import


def test_profile_columns_create_mentor_profiles_in_the_edition_with_study_areas_from_nace(edition):
    result = organisations_import(
        companies_file=companies(
            f'{VITALO},2,16,3,ja,"content;Stages voor leerlingen",2;Samenwerking',
            f"{NIKO},1,8,2,False,Lesgeven,Professionalisering",
            f"{AQUAFIN},,,,,,",
        ),
        edition=edition,
    )

    assert result.companies_created == 3
    assert result.notes == ("Mentorprofielen voor STEMpact 2026-2027: 2 toegevoegd, 0 bijgewerkt.",)
    vitalo = profile_of("Vitalo", edition)
    assert (vitalo.capacity, vitalo.hours_per_month, vitalo.staff, vitalo.multi_year) == (2, 16, 3, True)
    assert vitalo.offers == ["content", "pupil_internships"]
    assert elements(vitalo) == [2, 6]
    # 22 (rubber and plastics) and 27 (electrical equipment) map to these study areas by default.
    assert areas(vitalo) == sorted(
        StudyArea.objects.filter(nace_divisions__code__in=["22", "27"]).distinct().values_list("slug", flat=True)
    )
    assert "kunststoffen" in areas(vitalo)
    niko = profile_of("Niko", edition)
    assert (niko.capacity, niko.multi_year, niko.offers, elements(niko)) == (1, False, ["teaching"], [4])
    assert not MentorProfile.objects.filter(company__name="Aquafin").exists()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[("ja", True), ("JA", True), ("yes", True), ("1", True), ("true", True)],
        *[("nee", False), ("No", False), ("0", False), ("false", False)],
    ],
)
def test_multi_year_reads_dutch_and_english_words_and_digits(edition, cell, expected):
    organisations_import(companies_file=companies(f"{VITALO},1,,,{cell},,"), edition=edition)

    assert profile_of("Vitalo", edition).multi_year is expected


def test_a_file_without_profile_columns_leaves_profiles_alone(edition):
    organisations_import(companies_file=companies(f"{VITALO},3,,,,,"), edition=edition)

    result = organisations_import(
        companies_file=companies(VITALO, header="name,enterprise_number,street,postcode,municipality,nace_codes"),
        edition=edition,
    )

    assert result.notes == ()
    assert profile_of("Vitalo", edition).capacity == 3


# --------------------------------------------------------------------------- rejected imports


def test_one_bad_row_imports_nothing_and_every_bad_cell_is_named_by_row_and_column(edition):
    errors = rejected(
        companies_file=companies(
            f"{VITALO},2,16,3,ja,content,2",
            f"{NIKO},21,veel,-1,misschien,koffie;teaching,8;Samenwerking;Sterrenkunde",
        ),
        edition=edition,
    )

    assert errors == [
        RowError(COMPANIES, 3, "capacity", "21 is geen geheel getal van 0 tot en met 20"),
        RowError(COMPANIES, 3, "hours_per_month", "veel is geen geheel getal van 0 tot en met 32767"),
        RowError(COMPANIES, 3, "staff", "-1 is geen geheel getal van 0 tot en met 32767"),
        RowError(
            COMPANIES, 3, "multi_year", "misschien is geen ja of nee (schrijf ja, nee, yes, no, 1, 0, true of false)"
        ),
        RowError(COMPANIES, 3, "offers", "onbekend aanbod koffie"),
        RowError(
            COMPANIES, 3, "expertise_elements", "onbekend sleutelelement 8 (geef het nummer, 1 tot 7, of de naam)"
        ),
        RowError(
            COMPANIES,
            3,
            "expertise_elements",
            "onbekend sleutelelement Sterrenkunde (geef het nummer, 1 tot 7, of de naam)",
        ),
    ]
    assert Company.objects.count() == 0
    assert MentorProfile.objects.count() == 0


def test_profile_errors_come_after_the_rows_own_errors_in_row_order(edition):
    errors = rejected(
        companies_file=companies(
            "Kapot,0430.615.267,Straat 1,8760,Meulebeke,27.330,2,,,,,",
            f"{NIKO},30,,,,,",
        ),
        edition=edition,
    )

    assert [(e.row, e.column) for e in errors] == [(2, "enterprise_number"), (3, "capacity")]


def test_profile_columns_without_any_edition_are_refused(db):
    errors = rejected(companies_file=companies(f"{VITALO},2,,,,,", f"{NIKO},,,,,teaching,"))

    assert errors == [
        RowError(
            COMPANIES, 2, "capacity", "er is geen editie om het mentorprofiel aan te koppelen: maak er eerst een aan"
        ),
        RowError(
            COMPANIES, 3, "offers", "er is geen editie om het mentorprofiel aan te koppelen: maak er eerst een aan"
        ),
    ]
    assert Company.objects.count() == 0


# --------------------------------------------------------------------------- importing again


def test_reimport_updates_the_profile_and_keeps_study_areas_changed_in_the_app(edition):
    organisations_import(companies_file=companies(f'{VITALO},2,16,3,ja,"content;teaching",2;6'), edition=edition)
    vitalo = profile_of("Vitalo", edition)
    vitalo.study_areas.set(StudyArea.objects.filter(slug="chemie"))
    stamp = vitalo.updated_at

    result = organisations_import(companies_file=companies(f"{VITALO},4,16,3,nee,research,7"), edition=edition)

    assert result.notes == ("Mentorprofielen voor STEMpact 2026-2027: 0 toegevoegd, 1 bijgewerkt.",)
    assert MentorProfile.objects.count() == 1
    vitalo = profile_of("Vitalo", edition)
    assert (vitalo.capacity, vitalo.multi_year, vitalo.offers, elements(vitalo)) == (4, False, ["research"], [7])
    assert areas(vitalo) == ["chemie"]
    assert vitalo.updated_at > stamp


def test_reimport_left_out_columns_keep_their_value_and_empty_cells_get_the_default(edition):
    organisations_import(companies_file=companies(f"{VITALO},2,16,3,ja,content,2;6"), edition=edition)

    organisations_import(
        companies_file=companies(
            f"{VITALO},5,", header="name,enterprise_number,street,postcode,municipality,nace_codes,capacity,offers"
        ),
        edition=edition,
    )

    vitalo = profile_of("Vitalo", edition)
    assert (vitalo.capacity, vitalo.offers) == (5, [])  # offers present but empty: cleared
    assert (vitalo.hours_per_month, vitalo.staff, vitalo.multi_year, elements(vitalo)) == (16, 3, True, [2, 6])


def test_a_profile_of_another_edition_is_left_alone(edition):
    earlier = f.EditionFactory(year=2025)
    company = f.CompanyFactory(name="Vitalo", enterprise_number="0412736483")
    profile(company, earlier, capacity=3)

    organisations_import(companies_file=companies(f"{VITALO},1,,,,,"), edition=edition)

    assert profile_of("Vitalo", earlier).capacity == 3
    assert profile_of("Vitalo", edition).capacity == 1


def test_the_number_of_queries_does_not_grow_with_the_number_of_profile_rows(edition):
    def rows(n: int, capacity: int) -> io.StringIO:
        return companies(
            *(
                f"Bedrijf {i},{enterprise_number(i)},Straat {i},8760,Meulebeke,27.330,"
                f'{capacity},8,2,ja,"content;teaching",{1 + i % 7}'
                for i in range(n)
            )
        )

    def queries(n: int) -> tuple[int, int]:
        counts = []
        for capacity in (1, 2):  # create, then update
            with CaptureQueriesContext(connection) as captured:
                organisations_import(companies_file=rows(n, capacity), edition=edition)
            counts.append(len(captured))
        return counts[0], counts[1]

    one = queries(1)
    Company.objects.all().delete()
    three = queries(3)

    assert one == three
    assert MentorProfile.objects.filter(capacity=2).count() == 3


def test_a_second_handler_for_the_same_columns_is_refused():
    class Copy(MentorProfileColumns):
        name = "copy"

    with pytest.raises(ImproperlyConfigured, match="capacity"):
        register_company_columns(Copy())


# --------------------------------------------------------------------------- the command and --edition


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_command_registers_the_schools_and_attaches_the_profiles_to_the_named_edition(edition, tmp_path):
    earlier = f.EditionFactory(year=2025)
    args = [
        "--schools",
        write(tmp_path, "scholen.csv", SCHOOLS),
        "--companies",
        str(EXAMPLES / "mentor_companies.csv"),
        "--edition",
        earlier.slug,
    ]
    out = io.StringIO()

    call_command("import_organisations", *args, stdout=out)
    Participation.objects.filter(school__name="VTI Torhout").update(status=Participation.Status.BASELINE)
    call_command("import_organisations", *args, stdout=out)

    assert out.getvalue().splitlines() == [
        "Schools: 2 created, 0 updated.",
        "Edition 2025-2026: 2 school(s) newly registered.",
        "Companies: 4 created, 0 updated.",
        "Mentor profiles for STEMpact 2025-2026: 3 added, 0 updated.",
        "Schools: 0 created, 2 updated.",
        "Edition 2025-2026: 0 school(s) newly registered.",
        "Companies: 0 created, 4 updated.",
        "Mentor profiles for STEMpact 2025-2026: 0 added, 3 updated.",
    ]
    assert sorted(Participation.objects.filter(edition=earlier).values_list("school__name", "status")) == [
        ("Athena Heule", "registered"),
        ("VTI Torhout", "baseline"),  # registering again keeps the status it reached
    ]
    assert not Participation.objects.filter(edition=edition).exists()
    assert sorted(MentorProfile.objects.filter(edition=earlier).values_list("company__name", flat=True)) == [
        "Niko",
        "TE Connectivity",
        "Vitalo",
    ]
    niko = profile_of("Niko", earlier)
    assert (niko.offers, elements(niko)) == (["teaching", "teacher_internships"], [1, 4])


def test_the_command_uses_the_current_edition_by_default(edition, tmp_path):
    f.EditionFactory(year=2024)
    out = io.StringIO()

    call_command("import_organisations", "--schools", write(tmp_path, "scholen.csv", SCHOOLS), stdout=out)

    assert "Edition 2026-2027: 2 school(s) newly registered." in out.getvalue()
    assert Participation.objects.filter(edition=edition).count() == 2


def test_the_command_names_an_unknown_edition_and_imports_nothing(edition, tmp_path):
    with pytest.raises(CommandError, match=r"Unknown edition '2030-2031'\. Known editions: 2026-2027\."):
        call_command("import_organisations", "--schools", write(tmp_path, "s.csv", SCHOOLS), "--edition", "2030-2031")

    assert School.objects.count() == 0


def test_the_command_without_any_edition_imports_but_says_it_registered_nothing(db, tmp_path):
    err = io.StringIO()

    call_command(
        "import_organisations", "--schools", write(tmp_path, "s.csv", SCHOOLS), stdout=io.StringIO(), stderr=err
    )

    assert err.getvalue().strip() == "No edition exists yet: the schools were not registered in an edition."
    assert School.objects.count() == 2
    assert Participation.objects.count() == 0


# --------------------------------------------------------------------------- the upload page


def test_the_upload_page_offers_the_editions_with_the_current_one_chosen(world):
    f.EditionFactory(year=2025)

    response = client_for(world.users["coordinator"]).get(reverse("partners:import"))

    form = response.context["form"]
    assert form["edition"].value() == world.edition.pk
    assert [label for _value, label in form.fields["edition"].choices] == [
        "Geen editie: de scholen niet inschrijven",
        "STEMpact 2026-2027",
        "STEMpact 2025-2026",
    ]
    assert "voor het mentorprofiel optioneel capacity, hours_per_month, staff, multi_year, offers" in response.text


def test_an_upload_registers_the_schools_and_saves_the_profiles_in_the_chosen_edition(world):
    response = client_for(world.users["coordinator"]).post(
        reverse("partners:import"),
        {
            "schools": SimpleUploadedFile("scholen.csv", SCHOOLS.encode()),
            "companies": SimpleUploadedFile("bedrijven.csv", (EXAMPLES / "mentor_companies.csv").read_bytes()),
            "edition": world.edition.pk,
        },
        follow=True,
    )

    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Import voltooid. Scholen: 2 toegevoegd, 0 bijgewerkt. Bedrijven: 4 toegevoegd, 0 bijgewerkt. "
        "2 scholen nieuw ingeschreven in STEMpact 2026-2027. "
        "Mentorprofielen voor STEMpact 2026-2027: 3 toegevoegd, 0 bijgewerkt."
    )
    assert Participation.objects.filter(edition=world.edition, school__name="VTI Torhout").exists()
    assert profile_of("TE Connectivity", world.edition).capacity == 3


def test_an_upload_with_a_bad_profile_cell_names_it_and_imports_nothing(world):
    content = (HEADER + "\n" + f"{VITALO},2,,,ja,,\n" + f"{NIKO},99,,,,,\n").encode()

    response = client_for(world.users["coordinator"]).post(
        reverse("partners:import"),
        {"companies": SimpleUploadedFile("bedrijven.csv", content), "edition": world.edition.pk},
    )

    assert response.status_code == 400
    assert [(e.row, e.column, e.message) for e in response.context["errors"]] == [
        (3, "capacity", "99 is geen geheel getal van 0 tot en met 20")
    ]
    assert "99 is geen geheel getal van 0 tot en met 20" in response.text
    assert not Company.objects.filter(name="Vitalo").exists()
