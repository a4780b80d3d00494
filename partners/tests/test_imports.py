"""CSV import of schools and companies: what a coordinator sees after uploading a file."""

import io
import re
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from partners.enterprise import enterprise_check_digits
from partners.imports import (
    COMPANIES,
    SCHOOLS,
    ImportResult,
    OrganisationImportRejected,
    RowError,
    decode_upload,
    normalise_nace_code,
    organisations_import,
)
from partners.models import Company, CompanyActivity, CompanySite, Postcode, School
from partners.tests import factories as f

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

SCHOOL_HEADER = "name,street,postcode,municipality,region,study_areas,pupils,website,email"
COMPANY_HEADER = "name,enterprise_number,street,postcode,municipality,nace_codes,employees,website"
VTI_TORHOUT = 'VTI Torhout,Sint-Jozefstraat 1,8820,Torhout,west-vlaanderen,"mechanica;elektromechanica",950,www.vti-torhout.example,info@vti-torhout.example'  # noqa: E501
VITALO = "Vitalo,BE 0412.736.483,Industriestraat 10,8760,Meulebeke,22.290;27.330,180,"


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English source text, whatever Dutch catalogue exists.
    with translation.override("en"):
        yield


def csv_file(*lines: str) -> io.StringIO:
    return io.StringIO("\n".join(lines) + "\n")


def enterprise_number(first_eight: str) -> str:
    return first_eight + enterprise_check_digits(first_eight)


def rejected_errors(**files: io.StringIO) -> list[RowError]:
    with pytest.raises(OrganisationImportRejected) as rejected:
        organisations_import(**files)
    return rejected.value.errors


def where(errors: list[RowError]) -> list[tuple[str, int, str]]:
    return [(e.file, e.row, e.column) for e in errors]


# --------------------------------------------------------------------------- a good import


def test_schools_get_the_coordinates_region_and_study_areas_from_the_file(db):
    result = organisations_import(schools_file=csv_file(SCHOOL_HEADER, VTI_TORHOUT))

    assert result == ImportResult(schools_created=1)
    school = School.objects.get()
    assert (school.name, school.street, school.postcode, school.municipality) == (
        "VTI Torhout",
        "Sint-Jozefstraat 1",
        "8820",
        "Torhout",
    )
    assert (school.latitude, school.longitude) == (51.0656, 3.1008)
    assert school.region.slug == "west-vlaanderen"
    assert sorted(a.slug for a in school.study_areas.all()) == ["elektromechanica", "mechanica"]
    assert school.pupils == 950
    assert school.website == "https://www.vti-torhout.example"
    assert school.email == "info@vti-torhout.example"


def test_companies_get_a_main_site_at_the_postcode_and_their_nace_activities(db):
    result = organisations_import(companies_file=csv_file(COMPANY_HEADER, VITALO))

    assert result == ImportResult(companies_created=1)
    company = Company.objects.get()
    assert (company.name, company.enterprise_number, company.employees) == ("Vitalo", "0412736483", 180)
    site = company.sites.get()
    assert (site.is_main, site.street, site.postcode, site.municipality) == (
        True,
        "Industriestraat 10",
        "8760",
        "Meulebeke",
    )
    assert (site.latitude, site.longitude) == (50.9514, 3.288)
    assert [(a.nace_code, a.division.code) for a in company.activities.order_by("nace_code")] == [
        ("22.290", "22"),
        ("27.330", "27"),
    ]


def test_a_postcode_with_several_places_takes_the_named_municipality(db):
    # 8630 lists Avekapelle first; the school is in Veurne. An unlisted name falls back to the first place.
    organisations_import(
        schools_file=csv_file(
            SCHOOL_HEADER,
            "VTI Veurne,Ooststraat 15,8630,veurne,west-vlaanderen,elektromechanica,,,",
            "Nergensschool,Ooststraat 16,8630,Nergenshuizen,west-vlaanderen,elektromechanica,,,",
        )
    )

    veurne = School.objects.get(name="VTI Veurne")
    assert (veurne.latitude, veurne.longitude) == (51.0732, 2.668)
    assert veurne.municipality == "veurne"  # kept as written
    elsewhere = School.objects.get(name="Nergensschool")
    first_place = Postcode.objects.resolve("8630", "Nergenshuizen")
    assert first_place.municipality == "Avekapelle"
    assert (elsewhere.latitude, elsewhere.longitude) == (first_place.latitude, first_place.longitude)


def test_regions_and_study_areas_accept_slugs_and_labels_in_any_case(db):
    organisations_import(
        schools_file=csv_file(
            SCHOOL_HEADER,
            "School A,Straat 1,8820,Torhout,WEST-VLAANDEREN,CHEMIE,,,",
            "School B,Straat 2,8820,Torhout,west-vlaanderen,elektriciteit en elektrotechniek,,,",
            "School C,Straat 3,8820,Torhout,West-Vlaanderen,Automation and industrial ICT ; ict,,,",
        )
    )

    areas = {s.name: sorted(a.slug for a in s.study_areas.all()) for s in School.objects.all()}
    assert areas == {
        "School A": ["chemie"],
        "School B": ["elektriciteit"],
        "School C": ["automatisering", "ict"],
    }
    assert set(School.objects.values_list("region__slug", flat=True)) == {"west-vlaanderen"}


def test_nace_codes_are_normalised_and_an_unmapped_division_is_no_error(db):
    organisations_import(
        companies_file=csv_file(
            COMPANY_HEADER,
            'Metagenics,0471.230.651,Edward Vlietinckstraat 20,8400,Oostende,"21200; 21.20 ;21; 70.220;21.200",,',
        )
    )

    activities = [(a.nace_code, a.division.code if a.division else None) for a in CompanyActivity.objects.all()]
    assert activities == [("21", "21"), ("21.20", "21"), ("21.200", "21"), ("70.220", None)]


def test_a_semicolon_delimited_file_with_quoted_lists_imports(db):
    result = organisations_import(
        schools_file=csv_file(
            "name;street;postcode;municipality;region;study_areas",
            'KTA Brugge;Boeveriestraat 73;8000;Brugge;west-vlaanderen;"bouw;hout"',
        ),
        companies_file=csv_file(
            "name;enterprise_number;street;postcode;municipality;nace_codes",
            'Aquafin;0624.391.869;Dijkstraat 8;2630;Aartselaar;"37.000;42.910"',
        ),
    )

    assert result == ImportResult(schools_created=1, companies_created=1)
    assert sorted(School.objects.get().study_areas.values_list("slug", flat=True)) == ["bouw", "hout"]
    assert sorted(CompanyActivity.objects.values_list("nace_code", flat=True)) == ["37.000", "42.910"]


def test_excel_separator_hint_and_unicode_text_exports_are_understood(db):
    # "sep=;" is a first line Excel hides; "Unicode text" is UTF-16 with tabs.
    organisations_import(
        schools_file=csv_file(
            "sep=;",
            "name;street;postcode;municipality;region;study_areas",
            "KTA Brugge;Boeveriestraat 73;8000;Brugge;west-vlaanderen;bouw",
        ),
    )
    unicode_text = "name\tstreet\tpostcode\tmunicipality\tregion\tstudy_areas\r\n"
    unicode_text += (
        "Athena Heule\tKortrijksestraat 200\t8501\tHeule\twest-vlaanderen\telektromechanica;automatisering\r\n"
    )
    organisations_import(schools_file=io.StringIO(decode_upload(unicode_text.encode("utf-16"))))

    assert sorted(School.objects.values_list("name", flat=True)) == ["Athena Heule", "KTA Brugge"]
    assert School.objects.get(name="Athena Heule").study_areas.count() == 2


def test_unknown_columns_spacing_header_case_and_blank_lines_do_not_matter(db):
    organisations_import(
        schools_file=csv_file(
            " Name , Street,POSTCODE,municipality,region,study_areas,notes of the coordinator",
            "",
            "  VTI Torhout  ,  Sint-Jozefstraat 1 , 8820 , Torhout , west-vlaanderen , mechanica , call in May",
            ",,,,,,",
        )
    )

    school = School.objects.get()
    assert (school.name, school.street, school.postcode) == ("VTI Torhout", "Sint-Jozefstraat 1", "8820")


# --------------------------------------------------------------------------- encodings


def test_uploads_in_utf8_with_bom_or_windows_1252_decode_to_the_same_text():
    text = "name;municipality\nKoninklijk Atheneum;Sint-Niklaas\nAthénée;Liège\n"
    assert decode_upload(text.encode("utf-8")) == text
    assert decode_upload(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_upload(text.encode("cp1252")) == text
    assert decode_upload(text.encode("utf-16")) == text


def test_a_file_saved_by_excel_with_a_bom_and_windows_line_ends_imports(db):
    data = (SCHOOL_HEADER + "\r\n" + VTI_TORHOUT + "\r\n").encode("utf-8-sig")
    organisations_import(schools_file=io.StringIO(decode_upload(data)))

    assert School.objects.get().name == "VTI Torhout"


def test_a_bom_left_in_the_text_does_not_hide_the_first_column(db):
    organisations_import(schools_file=io.StringIO("\ufeff" + SCHOOL_HEADER + "\n" + VTI_TORHOUT + "\n"))

    assert School.objects.get().name == "VTI Torhout"


# --------------------------------------------------------------------------- rejected imports


def test_a_rejected_import_names_every_bad_row_and_column_and_writes_nothing(db):
    schools = csv_file(
        SCHOOL_HEADER,
        VTI_TORHOUT,
        "Atheneum Nergens,Straat 1,9999,Nergens,west-vlaanderen,mechanica,,,",
        "Athena Heule,Straat 2,8501,Heule,Henegouwen,mechanica,,,",
        "KTA Brugge,Straat 3,8000,Brugge,west-vlaanderen,mechanica;Sterrenkunde,,,",
    )
    companies = csv_file(
        COMPANY_HEADER,
        "Niko,0430.615.267,Industriepark-West 40,9100,Sint-Niklaas,27.330,,",
        VITALO,
    )

    errors = rejected_errors(schools_file=schools, companies_file=companies)

    assert errors == [
        RowError(SCHOOLS, 3, "postcode", "unknown postcode 9999"),
        RowError(SCHOOLS, 4, "region", "unknown region Henegouwen"),
        RowError(SCHOOLS, 5, "study_areas", "unknown study area Sterrenkunde"),
        RowError(COMPANIES, 2, "enterprise_number", "0430.615.267 is not a valid Belgian enterprise number"),
    ]
    assert School.objects.count() == 0
    assert Company.objects.count() == 0
    assert CompanySite.objects.count() == 0


def test_a_rejected_import_leaves_earlier_data_untouched(db):
    organisations_import(schools_file=csv_file(SCHOOL_HEADER, VTI_TORHOUT))
    changed = VTI_TORHOUT.replace("950", "999")

    rejected_errors(
        schools_file=csv_file(SCHOOL_HEADER, changed, "Kapot,Straat 1,8820,Torhout,west-vlaanderen,,,,"),
    )

    assert School.objects.get().pupils == 950


def test_every_bad_value_in_a_row_is_reported_not_just_the_first(db):
    errors = rejected_errors(
        schools_file=csv_file(
            SCHOOL_HEADER,
            ",,8820,Torhout,west-vlaanderen,,-5,not a website,info@",
        ),
        companies_file=csv_file(
            COMPANY_HEADER,
            "Vitalo,,Industriestraat 10,8760,Meulebeke,2;20.1411;20a,veel,",
        ),
    )

    assert errors == [
        RowError(SCHOOLS, 2, "name", "a value is required"),
        RowError(SCHOOLS, 2, "street", "a value is required"),
        RowError(SCHOOLS, 2, "study_areas", "a value is required"),
        RowError(SCHOOLS, 2, "pupils", "-5 is not a whole number of zero or more"),
        RowError(SCHOOLS, 2, "website", "not a website is not a valid web address"),
        RowError(SCHOOLS, 2, "email", "info@ is not a valid e-mail address"),
        RowError(COMPANIES, 2, "enterprise_number", "a value is required"),
        RowError(COMPANIES, 2, "nace_codes", "2 is not a NACE-BEL code (two to five digits, for example 20.141)"),
        RowError(COMPANIES, 2, "nace_codes", "20.1411 is not a NACE-BEL code (two to five digits, for example 20.141)"),
        RowError(COMPANIES, 2, "nace_codes", "20a is not a NACE-BEL code (two to five digits, for example 20.141)"),
        RowError(COMPANIES, 2, "employees", "veel is not a whole number of zero or more"),
    ]


def test_a_missing_required_column_is_one_error_on_the_header_row(db):
    errors = rejected_errors(
        schools_file=csv_file("name,street,postcode,region,study_areas", "VTI Torhout,Straat 1,8820,west,mechanica"),
    )

    assert errors == [RowError(SCHOOLS, 1, "municipality", "the required column municipality is missing")]


def test_an_empty_file_is_rejected(db):
    assert where(rejected_errors(companies_file=io.StringIO(""))) == [(COMPANIES, 1, "")]


def test_the_same_school_twice_in_one_file_names_both_rows(db):
    errors = rejected_errors(
        schools_file=csv_file(
            SCHOOL_HEADER,
            VTI_TORHOUT,
            "Athena Heule,Straat 2,8501,Heule,west-vlaanderen,mechanica,,,",
            "vti  torhout,Andere straat 9,8820,Torhout,west-vlaanderen,mechanica,,,",
        )
    )

    assert errors == [RowError(SCHOOLS, 4, "", "the same school (name and postcode) is also on row 2")]


def test_the_same_company_twice_in_one_file_is_caught_whatever_the_notation(db):
    errors = rejected_errors(
        companies_file=csv_file(
            COMPANY_HEADER,
            VITALO,
            "Vitalo NV,0412736483,Industriestraat 10,8760,Meulebeke,22.290,,",
        )
    )

    assert errors == [RowError(COMPANIES, 3, "enterprise_number", "the same enterprise number is also on row 2")]


def test_an_unquoted_list_in_a_semicolon_file_is_rejected_with_a_hint(db):
    errors = rejected_errors(
        schools_file=csv_file(
            "name;street;postcode;municipality;region;study_areas",
            "KTA Brugge;Boeveriestraat 73;8000;Brugge;west-vlaanderen;bouw;hout",
        )
    )

    assert where(errors) == [(SCHOOLS, 2, "")]
    assert "double quotes" in errors[0].message


def test_row_numbers_are_the_ones_a_spreadsheet_shows(db):
    # A blank line is a row in Excel; a quoted cell spanning two lines is one row.
    errors = rejected_errors(
        schools_file=csv_file(
            SCHOOL_HEADER,
            '"VTI Torhout","Sint-Jozefstraat 1\nCampus Noord",8820,Torhout,west-vlaanderen,mechanica,,,',
            "",
            "Atheneum Nergens,Straat 1,9999,Nergens,west-vlaanderen,mechanica,,,",
        )
    )

    assert where(errors) == [(SCHOOLS, 4, "postcode")]


def test_an_overlong_name_is_rejected_before_the_database_sees_it(db):
    errors = rejected_errors(
        schools_file=csv_file(SCHOOL_HEADER, f"{'X' * 201},Straat 1,8820,Torhout,west-vlaanderen,mechanica,,,"),
    )

    assert errors == [RowError(SCHOOLS, 2, "name", "at most 200 characters are allowed")]


# --------------------------------------------------------------------------- re-import


def test_importing_the_same_files_again_updates_and_never_duplicates(db):
    files = {
        "schools_file": SCHOOL_HEADER + "\n" + VTI_TORHOUT + "\n",
        "companies_file": COMPANY_HEADER + "\n" + VITALO + "\n",
    }
    first = organisations_import(**{k: io.StringIO(v) for k, v in files.items()})
    second = organisations_import(**{k: io.StringIO(v) for k, v in files.items()})

    assert first == ImportResult(schools_created=1, companies_created=1)
    assert second == ImportResult(schools_updated=1, companies_updated=1)
    assert School.objects.count() == 1
    assert School.study_areas.through.objects.count() == 2
    assert Company.objects.count() == 1
    assert CompanySite.objects.count() == 1
    assert CompanyActivity.objects.count() == 2


def test_reimport_replaces_study_areas_and_activities_and_moves_the_main_site(db):
    organisations_import(
        schools_file=csv_file(SCHOOL_HEADER, VTI_TORHOUT),
        companies_file=csv_file(COMPANY_HEADER, VITALO),
    )

    result = organisations_import(
        schools_file=csv_file(SCHOOL_HEADER, "VTI TORHOUT,Nieuwe straat 2,8820,Torhout,west-vlaanderen,ict,,,"),
        companies_file=csv_file(COMPANY_HEADER, "Vitalo NV,0412736483,Kerkstraat 5,8820,Torhout,25.110,,"),
    )

    assert result == ImportResult(schools_updated=1, companies_updated=1)
    school = School.objects.get()
    assert (school.name, school.street) == ("VTI TORHOUT", "Nieuwe straat 2")
    assert [a.slug for a in school.study_areas.all()] == ["ict"]
    assert (school.pupils, school.website, school.email) == (None, "", "")  # present but empty: cleared
    company = Company.objects.get()
    assert company.name == "Vitalo NV"
    site = company.sites.get()
    assert (site.is_main, site.street, site.postcode, site.latitude) == (True, "Kerkstraat 5", "8820", 51.0656)
    assert list(company.activities.values_list("nace_code", flat=True)) == ["25.110"]


def test_reimport_without_an_optional_column_keeps_that_value(db):
    organisations_import(schools_file=csv_file(SCHOOL_HEADER, VTI_TORHOUT))

    organisations_import(
        schools_file=csv_file(
            "name,street,postcode,municipality,region,study_areas,pupils",
            "VTI Torhout,Sint-Jozefstraat 1,8820,Torhout,west-vlaanderen,mechanica,1000",
        )
    )

    school = School.objects.get()
    assert (school.pupils, school.website) == (1000, "https://www.vti-torhout.example")


def test_reimport_updates_the_main_site_of_an_existing_company_and_keeps_its_other_sites(db):
    company = f.CompanyFactory(name="Umicore", enterprise_number=enterprise_number("04011234"))
    other = CompanySite.objects.create(company=company, name="Olen", postcode="2250", municipality="Olen")

    organisations_import(
        companies_file=csv_file(
            COMPANY_HEADER, f"Umicore,{company.enterprise_number},Broekstraat 31,1000,Brussel,24.410,,"
        )
    )

    sites = {site.pk: (site.is_main, site.postcode) for site in company.sites.all()}
    assert sites[other.pk] == (False, "2250")
    assert sorted(sites.values()) == [(False, "2250"), (True, "1000")]


# --------------------------------------------------------------------------- bounded work


def school_rows(n: int, *, street: str = "Straat", areas: str = "mechanica;ict") -> io.StringIO:
    return csv_file(
        SCHOOL_HEADER,
        *(f"School {i},{street} {i},8820,Torhout,west-vlaanderen,{areas},{i},,school{i}@example.be" for i in range(n)),
    )


def company_rows(n: int, *, street: str = "Straat", codes: str = "22.290;27") -> io.StringIO:
    return csv_file(
        COMPANY_HEADER,
        *(f"Bedrijf {i},{enterprise_number(f'0{500000 + i:07d}')},{street} {i},8760,Meulebeke,{codes},{i},"
          for i in range(n)),
    )  # fmt: skip


def queries_for(**files: io.StringIO) -> int:
    with CaptureQueriesContext(connection) as context:
        organisations_import(**files)
    return len(context)


def import_create_change_repeat(n: int) -> tuple[int, int, int]:
    """Queries to create n schools and companies, to change every one of them, and to import the change again."""

    def changed() -> dict[str, io.StringIO]:
        return {
            "schools_file": school_rows(n, street="Laan", areas="ict;bouw"),
            "companies_file": company_rows(n, street="Laan", codes="25.110"),
        }

    create = queries_for(schools_file=school_rows(n), companies_file=company_rows(n))
    change = queries_for(**changed())
    repeat = queries_for(**changed())
    return create, change, repeat


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(db):
    small = import_create_change_repeat(1)
    School.objects.all().delete()
    Company.objects.all().delete()

    large = import_create_change_repeat(25)

    assert large == small
    assert CompanySite.objects.filter(street="Laan 24").count() == 1
    assert set(CompanyActivity.objects.values_list("nace_code", flat=True)) == {"25.110"}


def test_reimporting_unchanged_rows_keeps_their_last_change_date(db):
    organisations_import(schools_file=school_rows(2), companies_file=company_rows(2))
    first = dict(School.objects.values_list("name", "updated_at"))

    # The same study areas in another order and the same companies: nothing changes.
    result = organisations_import(schools_file=school_rows(2, areas="ICT ; mechanica"), companies_file=company_rows(2))
    unchanged = dict(School.objects.values_list("name", "updated_at"))
    organisations_import(schools_file=school_rows(2, street="Laan"))
    moved = dict(School.objects.values_list("name", "updated_at"))

    assert result == ImportResult(schools_updated=2, companies_updated=2)
    assert unchanged == first
    assert all(moved[name] > first[name] for name in first)


def test_a_thousand_schools_import_in_seconds(db):
    start = time.monotonic()
    result = organisations_import(schools_file=school_rows(1000))

    assert result == ImportResult(schools_created=1000)
    assert time.monotonic() - start < 10
    assert School.study_areas.through.objects.count() == 2000


# --------------------------------------------------------------------------- NACE codes


def test_a_nace_code_that_lost_its_leading_zero_is_rejected_not_misfiled():
    with pytest.raises(ValueError, match="leading zero"):
        normalise_nace_code("1.11")  # 01.110 after a spreadsheet read it as a number; "11.1" would be wrong
    assert normalise_nace_code("01.110") == "01.110"


@given(st.text(alphabet="0123456789", min_size=2, max_size=5))
def test_any_two_to_five_digits_make_a_stored_nace_code_and_normalising_again_changes_nothing(digits):
    code = normalise_nace_code(digits)

    assert re.fullmatch(r"\d{2}(\.\d{1,3})?", code)
    assert code.replace(".", "") == digits
    assert normalise_nace_code(code) == code


@given(st.text(alphabet="0123456789", max_size=1) | st.text(alphabet="0123456789", min_size=6, max_size=12))
def test_too_few_or_too_many_digits_are_no_nace_code(digits):
    with pytest.raises(ValueError):
        normalise_nace_code(digits)


# --------------------------------------------------------------------------- management command


def test_the_command_imports_the_documented_example_files_and_reimports_them_as_updates(db):
    out = io.StringIO()
    args = ["--schools", str(EXAMPLES / "schools.csv"), "--companies", str(EXAMPLES / "companies.csv")]

    call_command("import_organisations", *args, stdout=out)
    call_command("import_organisations", *args, stdout=out)

    assert out.getvalue().splitlines() == [
        "Schools: 7 created, 0 updated.",
        "Companies: 6 created, 0 updated.",
        "Schools: 0 created, 7 updated.",
        "Companies: 0 created, 6 updated.",
    ]
    assert School.objects.get(name="VTI Torhout").region.slug == "west-vlaanderen"
    assert Company.objects.get(name="Vitalo").enterprise_number == "0412736483"


def test_the_command_prints_every_error_and_fails(db, tmp_path):
    schools = tmp_path / "scholen.csv"
    schools.write_text(
        SCHOOL_HEADER + "\nAtheneum Nergens,Straat 1,9999,Nergens,west-vlaanderen,mechanica,,,\n"
        "Athena Heule,Straat 2,8501,Heule,Henegouwen,mechanica,,,\n",
        encoding="cp1252",
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 error"):
        call_command("import_organisations", "--schools", str(schools), stderr=err)

    assert err.getvalue().splitlines() == [
        f"{schools}: row 2, column postcode: unknown postcode 9999",
        f"{schools}: row 3, column region: unknown region Henegouwen",
    ]
    assert School.objects.count() == 0


def test_the_command_needs_at_least_one_readable_file(db, tmp_path):
    with pytest.raises(CommandError, match="--schools"):
        call_command("import_organisations")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_organisations", "--companies", str(tmp_path / "missing.csv"))
