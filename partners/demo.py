"""Demo data: a believable STEMpact setup to click through, and a large generated data set for benchmarks.

`build_demo()` upserts two editions (2025-2026 and the current 2026-2027), the 20 school-company pairs of the first
edition as named in the source document (Voka Wijzer, Sept 2024) plus the GO! Koninklijk Atheneum Antwerpen - BASF
pair from the IN2STEM pilot that preceded STEMpact, a few newcomer schools, a few companies without a school, the
participations of both editions and one login per role. `build_large()` adds about 1,000 schools and 18,000 companies
spread over Flanders. Both are idempotent: they find their rows again by natural keys and update or skip them.

What is real and what is not:
- School and company *names* of the pairs come from the source. Their street addresses, pupil and employee counts,
  study areas and NACE-BEL codes are plausible illustrations, not checked facts. The newcomer schools (in Limburg,
  Vlaams-Brabant and Oost-Vlaanderen, regions the first edition barely reached) are fictional.
- Enterprise numbers are synthetic: valid check digits on prefixes from 1900.000.000 up, far from the ranges the KBO
  has issued. They are NOT the companies' real KBO numbers.
- Every e-mail address ends in `.demo` (not a deliverable top-level domain), so the platform can never mail a real
  school or company from demo data. The people behind the demo logins are fictional.
- Generated (large) rows end their name in " (demo)" and use the e-mail domains scholen.stempact.demo and
  bedrijven.stempact.demo.
- In the demo, the first edition runs as 2025-2026 (the source's first edition was 2023-2024) so that the
  previous edition sits right before the current one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .enterprise import enterprise_check_digits
from .models import (
    Company,
    CompanyActivity,
    CompanySite,
    Edition,
    Membership,
    NaceDivision,
    Participation,
    Postcode,
    Region,
    Role,
    School,
    StudyArea,
    User,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .models import CompanyQuerySet, SchoolQuerySet

#: The one password of every demo login; printed by `manage.py seed_demo`. Public by design.
DEMO_PASSWORD = "stempact-demo"  # noqa: S105
DEMO_EMAIL_DOMAIN = "stempact.demo"
GENERATED_SUFFIX = " (demo)"
GENERATED_SCHOOL_EMAIL_DOMAIN = "scholen.stempact.demo"
GENERATED_COMPANY_EMAIL_DOMAIN = "bedrijven.stempact.demo"

#: Province names as the Postcode table spells them (Dutch).
FLEMISH_PROVINCES: tuple[str, ...] = ("Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen")

#: Synthetic enterprise numbers: the first eight digits are BASE + n. Curated demo companies use the first range,
#: generated ones the second; both lie far above the numbers the KBO has issued.
CURATED_NUMBER_BASE = 19_000_000
GENERATED_NUMBER_BASE = 19_100_000
GENERATED_NUMBER_LIMIT = 19_999_999

LARGE_SCHOOLS = 1_000
LARGE_COMPANIES = 18_000
LARGE_SEED = 20262027
BATCH_SIZE = 1_000

CURRENT_EDITION_YEAR = 2026
PREVIOUS_EDITION_YEAR = 2025

Status = Participation.Status
Network = School.Network


def synthetic_enterprise_number(first_eight: int) -> str:
    """A ten-digit enterprise number with valid check digits for the given first eight digits."""
    if not 10_000_000 <= first_eight <= 19_999_999:
        raise ValueError(f"First eight digits out of the range we use: {first_eight}")
    prefix = f"{first_eight:08d}"
    return prefix + enterprise_check_digits(prefix)


# --------------------------------------------------------------------------- regions


REGION_BY_PROVINCE: dict[str, str] = {
    "Limburg": "limburg",
    "Oost-Vlaanderen": "oost-vlaanderen",
    "Vlaams-Brabant": "vlaams-brabant",
    "West-Vlaanderen": "west-vlaanderen",
}
#: Zandhoven (2240-2243) and Malle (2390) lie in the Kempen postcode block but belong to the arrondissement Antwerpen.
_ANTWERP_IN_KEMPEN_BLOCK = frozenset({"2240", "2242", "2243", "2390"})
#: Niel and Boom lie in the Mechelen postcode block but belong to the arrondissement Antwerpen.
_ANTWERP_IN_MECHELEN_BLOCK = frozenset({"2845", "2850"})
#: The Waasland (arrondissement Sint-Niklaas) within Oost-Vlaanderen; Wachtebeke (9185) is not part of it.
_WAASLAND_EXTRA = frozenset({"9250"})  # Waasmunster
_NOT_WAASLAND = frozenset({"9185"})


def region_slug_for(*, postcode: str, province: str) -> str:
    """The Voka region (chamber) serving a postcode, approximated from postcode blocks and the province.

    Voka Antwerpen-Waasland serves the arrondissement Antwerpen and the Waasland; Voka Mechelen-Kempen the
    arrondissements Mechelen and Turnhout; the other chambers follow their province. Rule:
    - 2000-2999 (province of Antwerp; decided by postcode because the GeoNames table files 2070 Zwijndrecht under
      Oost-Vlaanderen): 2200-2500 (Kempen, Heist-op-den-Berg, Lier), 2560-2599 (Nijlen, Duffel, Putte, Berlaar) and
      2800-2899 (Mechelen, Klein-Brabant) -> mechelen-kempen, except Zandhoven, Malle, Niel and Boom; the rest ->
      antwerpen-waasland.
    - Oost-Vlaanderen 9100-9199 and 9250 (Waasland, without Wachtebeke) -> antwerpen-waasland.
    - Limburg, Oost-Vlaanderen, Vlaams-Brabant, West-Vlaanderen -> the chamber of that name.
    A coordinator corrects the odd border case in the admin.
    """
    code = int(postcode)
    if 2000 <= code <= 2999:
        if postcode in _ANTWERP_IN_KEMPEN_BLOCK or postcode in _ANTWERP_IN_MECHELEN_BLOCK:
            return "antwerpen-waasland"
        if 2200 <= code <= 2500 or 2560 <= code <= 2599 or 2800 <= code <= 2899:
            return "mechelen-kempen"
        return "antwerpen-waasland"
    if province == "Oost-Vlaanderen" and (
        (9100 <= code <= 9199 and postcode not in _NOT_WAASLAND) or postcode in _WAASLAND_EXTRA
    ):
        return "antwerpen-waasland"
    try:
        return REGION_BY_PROVINCE[province]
    except KeyError:
        raise ValueError(f"Postcode {postcode} ({province}) is not in a Flemish province.") from None


# --------------------------------------------------------------------------- editions


def edition_dates(*, year: int) -> dict[str, dt.date]:
    """The phase dates of the edition that starts in September of `year` (the pattern of 2026-2027)."""
    return {
        "starts_on": dt.date(year, 9, 1),
        "registration_closes_on": dt.date(year, 11, 30),
        "baseline_opens_on": dt.date(year, 11, 1),
        "baseline_closes_on": dt.date(year, 12, 20),
        "networks_start_on": dt.date(year + 1, 1, 15),
        "networks_end_on": dt.date(year + 1, 3, 31),
        "plan_deadline": dt.date(year + 1, 4, 30),
        "jury_opens_on": dt.date(year + 1, 5, 1),
        "jury_closes_on": dt.date(year + 1, 5, 20),
        "finale_on": dt.date(year + 1, 5, 28),
        "ends_on": dt.date(year + 1, 8, 31),
    }


# --------------------------------------------------------------------------- curated data


@dataclass(frozen=True)
class SiteSpec:
    name: str
    street: str
    postcode: str
    municipality: str


@dataclass(frozen=True)
class CompanySpec:
    key: int  # the synthetic enterprise number is derived from it: never change it for an existing company
    name: str
    employees: int
    nace_codes: tuple[str, ...]
    sites: tuple[SiteSpec, ...]  # the first is the main site

    @property
    def enterprise_number(self) -> str:
        return synthetic_enterprise_number(CURATED_NUMBER_BASE + self.key)

    @property
    def email(self) -> str:
        return f"info@{_slug(self.name)}.bedrijf.{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    street: str
    postcode: str
    municipality: str
    network: str
    pupils: int
    study_areas: tuple[str, ...]

    @property
    def email(self) -> str:
        return f"info@{_slug(self.name)}.school.{DEMO_EMAIL_DOMAIN}"


@dataclass(frozen=True)
class PairSpec:
    """A school, its mentor company (if matched) and its participation status per edition."""

    school: SchoolSpec
    company: CompanySpec | None
    current_status: str
    previous_status: str | None = None  # None: the school did not take part in 2025-2026


def _slug(name: str) -> str:
    keep = "".join(ch if ch.isalnum() else "-" for ch in name.casefold())
    return "-".join(part for part in keep.split("-") if part)


def _site(name: str, street: str, postcode: str, municipality: str) -> SiteSpec:
    return SiteSpec(name=name, street=street, postcode=postcode, municipality=municipality)


OMEXOM = CompanySpec(
    1,
    "Omexom",
    650,
    ("43.211", "33.140"),
    (
        _site("Omexom Antwerpen", "Noorderlaan 147", "2030", "Antwerpen"),
        _site("Omexom Gent", "Skaldenstraat 121", "9042", "Gent"),
    ),
)
ARCELORMITTAL = CompanySpec(
    2,
    "ArcelorMittal Belgium",
    4800,
    ("24.100", "24.310"),
    (
        _site("ArcelorMittal Gent", "John Kennedylaan 51", "9042", "Gent"),
        _site("ArcelorMittal Genk", "Swinnenwijerweg 5", "3600", "Genk"),
    ),
)
NIKO = CompanySpec(
    3, "Niko", 750, ("27.330", "27.120"), (_site("Hoofdzetel", "Industriepark-West 40", "9100", "Sint-Niklaas"),)
)
NOKIA = CompanySpec(
    4, "Nokia Bell", 1700, ("26.300", "62.010"), (_site("Campus Antwerpen", "Copernicuslaan 50", "2018", "Antwerpen"),)
)
AQUAFIN = CompanySpec(
    5, "Aquafin", 1100, ("37.000", "42.210"), (_site("Hoofdzetel", "Dijkstraat 8", "2630", "Aartselaar"),)
)
ACTEMIUM = CompanySpec(
    6,
    "Actemium",
    1500,
    ("43.211", "33.200", "28.990"),
    (
        _site("Actemium Antwerpen", "Blancefloerlaan 71", "2050", "Antwerpen"),
        _site("Actemium Genk", "Henry Fordlaan 14", "3600", "Genk"),
        _site("Actemium Gent", "Skaldenstraat 7", "9042", "Gent"),
    ),
)
AERZEN = CompanySpec(
    7, "Aerzen Belgium", 60, ("28.130", "33.120"), (_site("Hoofdzetel", "Leuvensesteenweg 555", "1930", "Zaventem"),)
)
UMICORE = CompanySpec(
    8,
    "Umicore",
    5000,
    ("24.410", "24.450", "72.190"),
    (
        _site("Umicore Olen", "Watertorenstraat 33", "2250", "Olen"),
        _site("Umicore Hoboken", "Adolf Greinerstraat 14", "2660", "Hoboken"),
    ),
)
HOWDEN = CompanySpec(
    9,
    "Howden Maintenance Partners",
    120,
    ("33.120", "28.130"),
    (_site("Hoofdzetel", "Haven 1053, Scheldedijk 30", "2070", "Zwijndrecht"),),
)
PFIZER = CompanySpec(
    10, "Pfizer Puurs", 3500, ("21.100", "21.200"), (_site("Hoofdzetel", "Rijksweg 12", "2870", "Puurs-Sint-Amands"),)
)
SMET = CompanySpec(
    11, "Smet Group", 450, ("43.130", "42.210"), (_site("Hoofdzetel", "Kastelsedijk 64", "2480", "Dessel"),)
)
VAN_ROEY = CompanySpec(
    12,
    "Groep Van Roey",
    600,
    ("41.201", "41.203", "43.999"),
    (
        _site("Hoofdzetel", "Industriepark 13", "2310", "Rijkevorsel"),
        _site("Vestiging Gent", "Brusselsesteenweg 300", "9090", "Melle"),
    ),
)
STANDPLUS = CompanySpec(
    13, "Standplus", 45, ("43.320", "16.230"), (_site("Hoofdzetel", "Ottergemsesteenweg-Zuid 808", "9000", "Gent"),)
)
TVH = CompanySpec(
    14,
    "TVH Equipment",
    2500,
    ("46.690", "33.120"),
    (_site("Hoofdzetel", "Brabantstraat 15", "8790", "Waregem"),),
)
TE_CONNECTIVITY = CompanySpec(
    15,
    "TE Connectivity",
    600,
    ("27.330", "26.110"),
    (_site("Vestiging Oostkamp", "Siemenslaan 14", "8020", "Oostkamp"),),
)
VITALO = CompanySpec(
    16, "Vitalo", 350, ("22.220", "22.290"), (_site("Hoofdzetel", "Industrielaan 20", "8820", "Torhout"),)
)
METAGENICS = CompanySpec(
    17, "Metagenics", 400, ("10.890", "21.200"), (_site("Productiesite", "Edisonstraat 21", "8400", "Oostende"),)
)
ARGENT_ALU = CompanySpec(
    18, "Argent Alu", 130, ("24.420", "25.120"), (_site("Hoofdzetel", "Industriezone Ruien 6", "9690", "Kluisbergen"),)
)
BALTIMORE_AIRCOIL = CompanySpec(
    19,
    "Baltimore Aircoil",
    550,
    ("28.250",),
    (_site("Hoofdzetel", "Industriepark Zone A", "2220", "Heist-op-den-Berg"),),
)
ACTUM = CompanySpec(20, "Actum", 90, ("43.211", "71.121"), (_site("Hoofdzetel", "Noordstraat 68", "8630", "Veurne"),))
BASF = CompanySpec(
    21,
    "BASF Antwerpen",
    3000,
    ("20.141", "20.160", "20.150"),
    (_site("Hoofdzetel", "Scheldelaan 600", "2040", "Antwerpen"),),
)

#: Companies from the source's list of industrial partners, not (yet) mentoring a school.
EXTRA_COMPANIES: tuple[CompanySpec, ...] = (
    CompanySpec(
        31,
        "Atlas Copco Airpower",
        3200,
        ("28.130", "28.290"),
        (_site("Hoofdzetel", "Boomsesteenweg 957", "2610", "Wilrijk"),),
    ),
    CompanySpec(
        32,
        "Borealis",
        1300,
        ("20.160", "20.141"),
        (
            _site("Borealis Kallo", "Sint-Jansweg 2", "9130", "Kallo"),
            _site("Borealis Beringen", "Industrieweg 148", "3580", "Beringen"),
        ),
    ),
    CompanySpec(
        33,
        "Covestro",
        900,
        ("20.160", "20.590"),
        (_site("Hoofdzetel", "Haven 507, Scheldelaan 420", "2040", "Antwerpen"),),
    ),
    CompanySpec(
        34,
        "Janssen Pharmaceutica",
        5000,
        ("21.100", "72.110"),
        (
            _site("Campus Beerse", "Turnhoutseweg 30", "2340", "Beerse"),
            _site("Campus Geel", "Janssen Pharmaceuticalaan 3", "2440", "Geel"),
        ),
    ),
    CompanySpec(35, "Aurubis Olen", 550, ("24.440",), (_site("Hoofdzetel", "Watertorenstraat 35", "2250", "Olen"),)),
    CompanySpec(
        36, "Bekaert", 2000, ("24.340", "25.930"), (_site("Hoofdzetel", "Bekaertstraat 2", "8550", "Zwevegem"),)
    ),
)


def _school(
    name: str, street: str, postcode: str, municipality: str, network: str, pupils: int, *areas: str
) -> SchoolSpec:
    return SchoolSpec(name, street, postcode, municipality, network, pupils, areas)


#: The 20 pairs of the first edition (source: "Deelnemende scholen & hun partnerbedrijven"), then the IN2STEM pair.
#: In 2025-2026: Sjabi secundair won "meest impactvolle STEM-school", Novaplus "meest beloftevolle groeier" (the source
#: names both as the first award winners); three more finalists; two schools never submitted a plan.
#: Today (2026-11-24) registration and the baseline window are open: statuses are registered, baseline or matched.
PAIRS: tuple[PairSpec, ...] = (
    PairSpec(
        _school(
            "Provinciale Technische School Boom", "Kapelstraat 36", "2850", "Boom", Network.POV, 950,
            "elektriciteit", "elektromechanica", "mechanica", "automatisering", "bouw",
        ),
        OMEXOM, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "VLOT! campus Sint-Laurentius", "Kerkplein 3", "9160", "Lokeren", Network.KATHOLIEK, 850,
            "elektromechanica", "mechanica", "chemie", "wetenschappen",
        ),
        ARCELORMITTAL, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Technisch Atheneum Lokeren", "Hillarestraat 5", "9160", "Lokeren", Network.GO, 600,
            "elektriciteit", "elektromechanica", "automatisering", "ict",
        ),
        NIKO, Status.BASELINE, Status.MATCHED,
    ),
    PairSpec(
        _school(
            "Novaplus", "Lange Lozanastraat 140", "2018", "Antwerpen", Network.KATHOLIEK, 1100,
            "elektriciteit", "ict", "automatisering", "wetenschappen", "engineering",
        ),
        NOKIA, Status.MATCHED, Status.AWARDED,
    ),
    PairSpec(
        _school(
            "Gemeentelijk Instituut Brasschaat", "Bredabaan 336", "2930", "Brasschaat", Network.OVSG, 700,
            "bouw", "hout", "elektriciteit", "koeling-warmte",
        ),
        AQUAFIN, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Technisch Atheneum Da Vinci", "Drie Eikenstraat 100", "2650", "Edegem", Network.GO, 800,
            "elektromechanica", "mobiliteit", "automatisering", "elektriciteit",
        ),
        ACTEMIUM, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Zavo", "Hoogstraat 43", "1930", "Zaventem", Network.KATHOLIEK, 2000,
            "elektromechanica", "mechanica", "mobiliteit", "chemie", "logistiek",
        ),
        AERZEN, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Githo Nijlen", "Kesselsesteenweg 17", "2560", "Nijlen", Network.GO, 900,
            "chemie", "mechanica", "elektromechanica", "koeling-warmte",
        ),
        UMICORE, Status.MATCHED, Status.FINALIST,
    ),
    PairSpec(
        _school(
            "Technicum Antwerpen", "Sint-Jansplein 26", "2060", "Antwerpen", Network.GO, 650,
            "elektromechanica", "mechanica", "koeling-warmte", "maritiem",
        ),
        HOWDEN, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Sjabi secundair", "Kloosterstraat 1", "2870", "Puurs-Sint-Amands", Network.KATHOLIEK, 1200,
            "elektromechanica", "automatisering", "chemie", "biotechnologie", "wetenschappen",
        ),
        PFIZER, Status.MATCHED, Status.AWARDED,
    ),
    PairSpec(
        _school(
            "Katholiek Secundair Onderwijs Mol", "Jakob Smitslaan 4", "2400", "Mol", Network.KATHOLIEK, 1300,
            "elektriciteit", "bouw", "mechanica", "koeling-warmte",
        ),
        SMET, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Praktisch Technologisch Onderwijs Turnhout", "Kasteelplein 14", "2300", "Turnhout", Network.KATHOLIEK,
            700, "bouw", "hout", "elektriciteit", "mechanica",
        ),
        VAN_ROEY, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "VISO Mariakerke", "Brugsesteenweg 555", "9030", "Mariakerke", Network.KATHOLIEK, 900,
            "hout", "bouw", "grafisch", "elektriciteit",
        ),
        STANDPLUS, Status.REGISTERED, Status.MATCHED,
    ),
    PairSpec(
        _school(
            "Athena Heule", "Lagaeplein 10", "8501", "Heule", Network.KATHOLIEK, 1000,
            "mechanica", "elektromechanica", "mobiliteit", "logistiek",
        ),
        TVH, Status.BASELINE, Status.FINALIST,
    ),
    PairSpec(
        _school(
            "KTA Brugge", "Zandstraat 138", "8000", "Brugge", Network.GO, 900,
            "elektriciteit", "elektromechanica", "automatisering", "ict",
        ),
        TE_CONNECTIVITY, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Sint-Rembert Torhout", "Bruggestraat 2", "8820", "Torhout", Network.KATHOLIEK, 1500,
            "kunststoffen", "mechanica", "elektromechanica", "wetenschappen",
        ),
        VITALO, Status.MATCHED, Status.FINALIST,
    ),
    PairSpec(
        _school(
            "Maricolen Brugge", "Oude Zak 37", "8000", "Brugge", Network.KATHOLIEK, 800,
            "gezondheid", "voeding", "wetenschappen", "chemie",
        ),
        METAGENICS, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Bernardustechnicum Oudenaarde", "Fortstraat 63", "9700", "Oudenaarde", Network.KATHOLIEK, 1100,
            "mechanica", "hout", "elektriciteit", "bouw",
        ),
        ARGENT_ALU, Status.BASELINE, Status.SCORED,
    ),
    PairSpec(
        _school(
            "Sint-Lambertus Heist-op-den-Berg", "Bergstraat 14", "2220", "Heist-op-den-Berg", Network.KATHOLIEK,
            1200, "koeling-warmte", "elektromechanica", "mechanica",
        ),
        BALTIMORE_AIRCOIL, Status.REGISTERED, Status.SCORED,
    ),
    PairSpec(
        _school(
            "VTI Veurne", "Pannestraat 114", "8630", "Veurne", Network.KATHOLIEK, 650,
            "elektriciteit", "bouw", "mechanica", "land-tuinbouw",
        ),
        ACTUM, Status.BASELINE, Status.SCORED,
    ),
    # Not in the first edition: the IN2STEM pilot pair from the source, registered for 2026-2027.
    PairSpec(
        _school(
            "GO! Koninklijk Atheneum Antwerpen", "Fr. Van Ertbornstraat 2", "2018", "Antwerpen", Network.GO, 1100,
            "chemie", "biotechnologie", "wetenschappen", "wiskunde",
        ),
        BASF, Status.MATCHED,
    ),
    # Fictional newcomers in 2026-2027, not matched yet.
    PairSpec(
        _school(
            "Technisch Instituut Kolenspoor", "Vennestraat 180", "3600", "Genk", Network.KATHOLIEK, 1050,
            "elektromechanica", "automatisering", "mobiliteit", "mechanica",
        ),
        None, Status.BASELINE,
    ),
    PairSpec(
        _school(
            "GO! Atheneum Maasvallei", "Rijksweg 412", "3630", "Maasmechelen", Network.GO, 720,
            "wetenschappen", "chemie", "ict", "wiskunde",
        ),
        None, Status.REGISTERED,
    ),
    PairSpec(
        _school(
            "Stedelijk Technisch Instituut Vilvoorde", "Schaarbeeklei 45", "1800", "Vilvoorde", Network.OVSG, 830,
            "elektriciteit", "logistiek", "mobiliteit", "ict",
        ),
        None, Status.REGISTERED,
    ),
    PairSpec(
        _school(
            "Technisch Instituut Kanaalzone", "Kerkstraat 16", "9940", "Evergem", Network.KATHOLIEK, 760,
            "chemie", "elektromechanica", "maritiem", "logistiek",
        ),
        None, Status.BASELINE,
    ),
)  # fmt: skip

FIRST_EDITION_PAIRS: tuple[PairSpec, ...] = tuple(p for p in PAIRS if p.previous_status is not None)


@dataclass(frozen=True)
class DemoUserSpec:
    role: str
    email: str
    first_name: str
    last_name: str


COORDINATOR_EMAIL = f"coordinator@{DEMO_EMAIL_DOMAIN}"
ADVISER_EMAIL = f"adviseur@{DEMO_EMAIL_DOMAIN}"
SCHOOL_EMAIL = f"school@{DEMO_EMAIL_DOMAIN}"
COMPANY_EMAIL = f"bedrijf@{DEMO_EMAIL_DOMAIN}"
JUROR_EMAIL = f"jury@{DEMO_EMAIL_DOMAIN}"

DEMO_USERS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec(Role.COORDINATOR, COORDINATOR_EMAIL, "Liesbeth", "Claes"),
    DemoUserSpec(Role.ADVISER, ADVISER_EMAIL, "Pieter", "Janssens"),
    DemoUserSpec(Role.SCHOOL, SCHOOL_EMAIL, "Ellen", "Van den Broeck"),
    DemoUserSpec(Role.COMPANY, COMPANY_EMAIL, "Koen", "Wouters"),
    DemoUserSpec(Role.JUROR, JUROR_EMAIL, "Hilde", "Maes"),
)
ADVISER_REGION_SLUG = "antwerpen-waasland"
DEMO_SCHOOL_NAME = "GO! Koninklijk Atheneum Antwerpen"
DEMO_COMPANY_NAME = "BASF Antwerpen"


# --------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class Credential:
    role: str
    email: str
    name: str
    scope: str
    password: str


@dataclass
class SeedReport:
    """What a build did, per model label: rows created, rows found and updated, rows found and left alone."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    credentials: list[Credential] = field(default_factory=list)
    seconds: float = 0.0

    def tally(self, label: str, *, created: bool, n: int = 1) -> None:
        (self.created if created else self.updated)[label] += n

    @property
    def labels(self) -> list[str]:
        return list(dict.fromkeys([*self.created, *self.updated, *self.skipped]))


# --------------------------------------------------------------------------- the demo build


def _place(postcode: str, municipality: str) -> Postcode:
    place = Postcode.objects.resolve(postcode, municipality)
    if place is None:
        raise ValueError(f"Postcode {postcode} ({municipality}) is not in the Postcode table.")
    return place


def _address(place: Postcode, *, street: str, municipality: str) -> dict[str, object]:
    """Address fields as written (street, municipality), coordinates from the Postcode table."""
    return {
        "street": street,
        "municipality": municipality,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def _upsert_company(spec: CompanySpec, *, divisions: dict[str, NaceDivision], report: SeedReport) -> Company:
    company, created = Company.objects.update_or_create(
        enterprise_number=spec.enterprise_number,
        defaults={"name": spec.name, "employees": spec.employees, "email": spec.email},
    )
    report.tally("companies", created=created)
    for index, site in enumerate(spec.sites):
        _, created = CompanySite.objects.update_or_create(
            company=company,
            name=site.name,
            defaults={
                "postcode": site.postcode,
                "is_main": index == 0,
                **_address(
                    _place(site.postcode, site.municipality), street=site.street, municipality=site.municipality
                ),
            },
        )
        report.tally("company sites", created=created)
    for code in spec.nace_codes:
        _, created = CompanyActivity.objects.update_or_create(
            company=company, nace_code=code, defaults={"division": divisions.get(code[:2])}
        )
        report.tally("company activities (NACE-BEL)", created=created)
    return company


def _upsert_school(
    spec: SchoolSpec, *, regions: dict[str, Region], areas: dict[str, StudyArea], report: SeedReport
) -> School:
    place = _place(spec.postcode, spec.municipality)
    school, created = School.objects.update_or_create(
        name=spec.name,
        postcode=spec.postcode,
        defaults={
            "region": regions[region_slug_for(postcode=spec.postcode, province=place.province)],
            "network": spec.network,
            "pupils": spec.pupils,
            "email": spec.email,
            **_address(place, street=spec.street, municipality=spec.municipality),
        },
    )
    school.study_areas.set([areas[slug] for slug in spec.study_areas])
    report.tally("schools", created=created)
    return school


def _upsert_edition(*, year: int, report: SeedReport) -> Edition:
    edition, created = Edition.objects.update_or_create(
        slug=f"{year}-{year + 1}",
        defaults={"name": f"STEMpact {year}-{year + 1}", **edition_dates(year=year)},
    )
    report.tally("editions", created=created)
    return edition


def _registered_at(edition: Edition, index: int) -> dt.datetime:
    """A fixed registration moment in the edition's registration window (stable across runs)."""
    day = edition.starts_on + dt.timedelta(days=4 + (index * 3) % 70)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9 + index % 8, 15)))


def _upsert_participation(
    *, edition: Edition, school: School, status: str, index: int, report: SeedReport
) -> Participation:
    participation, created = Participation.objects.update_or_create(
        edition=edition,
        school=school,
        defaults={"status": status, "registered_at": _registered_at(edition, index)},
    )
    report.tally("participations", created=created)
    return participation


def _upsert_user(spec: DemoUserSpec, *, password: str, report: SeedReport) -> User:
    user, created = User.objects.update_or_create(
        email=spec.email,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "is_active": True,
            "is_staff": spec.role == Role.COORDINATOR,
            "is_superuser": False,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    report.tally("users", created=created)
    return user


def _ensure_membership(*, user: User, role: str, report: SeedReport, **scope: object) -> Membership:
    function = scope.pop("function", "")
    full_scope = {"region": None, "school": None, "company": None, "edition": None, **scope}
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, **full_scope, defaults={"function": function}
    )
    if not created and membership.function != function:
        membership.function = function
        membership.save(update_fields=["function"])
    report.tally("memberships", created=created)
    return membership


@transaction.atomic
def build_demo(*, password: str = DEMO_PASSWORD) -> SeedReport:
    """Upsert the demo setup (editions, schools, companies, participations, one user per role).

    Idempotent: rows are found again by natural key (Edition.slug, School name + postcode,
    Company.enterprise_number, User.email) and updated; demo users get `password` again; memberships are not
    duplicated.
    """
    started = time.perf_counter()
    report = SeedReport()
    regions = {r.slug: r for r in Region.objects.all()}
    areas = {a.slug: a for a in StudyArea.objects.all()}
    divisions = {d.code: d for d in NaceDivision.objects.all()}

    previous = _upsert_edition(year=PREVIOUS_EDITION_YEAR, report=report)
    current = _upsert_edition(year=CURRENT_EDITION_YEAR, report=report)

    schools: dict[str, School] = {}
    companies: dict[str, Company] = {}
    for index, pair in enumerate(PAIRS):
        school = _upsert_school(pair.school, regions=regions, areas=areas, report=report)
        schools[school.name] = school
        if pair.company:
            company = _upsert_company(pair.company, divisions=divisions, report=report)
            companies[company.name] = company
        _upsert_participation(edition=current, school=school, status=pair.current_status, index=index, report=report)
        if pair.previous_status:
            _upsert_participation(
                edition=previous, school=school, status=pair.previous_status, index=index, report=report
            )
    for spec in EXTRA_COMPANIES:
        _upsert_company(spec, divisions=divisions, report=report)

    users = {spec.role: _upsert_user(spec, password=password, report=report) for spec in DEMO_USERS}

    adviser_region = regions[ADVISER_REGION_SLUG]
    school = schools[DEMO_SCHOOL_NAME]
    company = companies[DEMO_COMPANY_NAME]
    _ensure_membership(user=users[Role.COORDINATOR], role=Role.COORDINATOR, report=report)
    _ensure_membership(user=users[Role.ADVISER], role=Role.ADVISER, region=adviser_region, report=report)
    _ensure_membership(
        user=users[Role.SCHOOL],
        role=Role.SCHOOL,
        school=school,
        function=Membership.SchoolFunction.TAC,
        report=report,
    )
    _ensure_membership(user=users[Role.COMPANY], role=Role.COMPANY, company=company, report=report)
    _ensure_membership(user=users[Role.JUROR], role=Role.JUROR, edition=current, report=report)

    scopes = {
        Role.COORDINATOR: "all editions and regions; admin (staff)",
        Role.ADVISER: f"region {adviser_region.name}",
        Role.SCHOOL: f"{school.name} (TAC)",
        Role.COMPANY: company.name,
        Role.JUROR: current.name,
    }
    report.credentials = [
        Credential(
            role=str(Role(spec.role).label),
            email=spec.email,
            name=f"{spec.first_name} {spec.last_name}",
            scope=scopes[Role(spec.role)],
            password=password,
        )
        for spec in DEMO_USERS
    ]
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- the large, generated data set


@dataclass(frozen=True)
class Place:
    """A row of the Postcode table, as plain data."""

    code: str
    municipality: str
    province: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class GeneratedSite:
    name: str
    street: str
    place: Place
    is_main: bool


@dataclass(frozen=True)
class GeneratedCompany:
    enterprise_number: str
    name: str
    employees: int
    email: str
    nace_codes: tuple[str, ...]
    sites: tuple[GeneratedSite, ...]


@dataclass(frozen=True)
class GeneratedSchool:
    name: str
    street: str
    place: Place
    region_slug: str
    network: str
    pupils: int
    email: str
    study_areas: tuple[str, ...]


SURNAMES: tuple[str, ...] = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Hermans", "Aerts", "Pauwels", "Verstraeten", "Vermeulen", "Van den Broeck", "De Clercq", "Van Damme",
    "Lambrechts", "Dierckx", "Michiels", "Smets", "Vandenberghe", "Desmet", "Vermeersch", "Martens", "Bogaert",
    "Coppens", "Verhaeghe", "Lemmens", "Van de Velde", "Segers", "Cools", "Mortier", "Vervoort", "Verbruggen",
    "Geerts", "Van Acker", "De Wilde", "Hendrickx", "Stevens", "Vanhove", "De Backer", "Verschueren", "Thys",
    "Wuyts", "Baert", "Vandamme", "Bauwens", "Nijs", "Van Hoof", "Moens", "Van Dyck", "Heylen", "Luyten",
    "Vercammen", "Boeckx", "Verhoeven", "De Meyer", "Van Goethem",
)  # fmt: skip
SAINTS: tuple[str, ...] = (
    "Sint-Jozef", "Sint-Jan", "Sint-Lodewijk", "Sint-Maria", "Sint-Victor", "Sint-Paulus", "Sint-Niklaas",
    "Sint-Lucas", "Sint-Vincentius", "Sint-Franciscus", "Heilig Hart", "Onze-Lieve-Vrouw", "Don Bosco",
    "Sint-Michiel", "Sint-Pieter", "Sint-Aloysius",
)  # fmt: skip
SCHOOL_STREETS: tuple[str, ...] = (
    "Schoolstraat", "Collegestraat", "Kloosterstraat", "Kerkstraat", "Stationsstraat", "Molenstraat", "Groenstraat",
    "Nieuwstraat", "Leopoldlaan", "Sint-Jozefstraat", "Pastorijstraat", "Dorpsstraat", "Kapelstraat", "Parklaan",
)  # fmt: skip
COMPANY_STREETS: tuple[str, ...] = (
    "Industrieweg", "Nijverheidsstraat", "Ambachtsweg", "Industriepark", "Kanaalweg", "Zoning Noord", "Europalaan",
    "Bedrijvenlaan", "Vaartdijk", "Steenweg", "Havenlaan", "Ringlaan", "Energieweg", "Techniekstraat",
)  # fmt: skip

#: (template, network) for generated schools; weights follow the networks' rough share of secondary schools.
SCHOOL_TEMPLATES: tuple[tuple[str, str, int], ...] = (
    ("Technisch Instituut {saint} {place}", Network.KATHOLIEK, 5),
    ("{saint}instituut {place}", Network.KATHOLIEK, 4),
    ("Vrij Technisch Instituut {place}", Network.KATHOLIEK, 3),
    ("{saint}college {place}", Network.KATHOLIEK, 3),
    ("GO! Technisch Atheneum {place}", Network.GO, 3),
    ("GO! Atheneum {place}", Network.GO, 2),
    ("Stedelijk Technisch Instituut {place}", Network.OVSG, 1),
    ("Gemeentelijk Technisch Instituut {place}", Network.OVSG, 1),
    ("Provinciaal Instituut voor Technisch Onderwijs {place}", Network.POV, 1),
    ("Technicum {place}", Network.OTHER, 1),
)

#: Study areas generated schools offer, weighted toward the common technical ones.
SCHOOL_AREA_WEIGHTS: dict[str, int] = {
    "elektromechanica": 10, "mechanica": 9, "elektriciteit": 9, "bouw": 7, "wetenschappen": 8, "ict": 6,
    "automatisering": 5, "hout": 4, "koeling-warmte": 3, "mobiliteit": 4, "chemie": 4, "wiskunde": 5,
    "engineering": 4, "voeding": 2, "land-tuinbouw": 2, "logistiek": 2, "grafisch": 2, "gezondheid": 3,
    "biotechnologie": 2, "kunststoffen": 1, "textiel": 1, "maritiem": 1,
}  # fmt: skip

#: NACE-BEL codes for generated companies with weights, weighted toward industry; (code, weight, name templates).
_METAL = ("{surname} Engineering NV", "{surname} Metaalwerken BV", "{surname} & Zonen BV", "{place} Precisie NV")
_MACHINES = ("{surname} Machinebouw NV", "{surname} Engineering NV", "{surname} Technics BV")
_ELECTRIC = ("{surname} Elektrotechniek BV", "{surname} Automation NV", "{surname} Installaties BV")
_CHEMICAL = ("{surname} Chemicals NV", "{place} Polymers NV", "{surname} Coatings BV")
_PLASTICS = ("{surname} Kunststoffen BV", "{place} Plastics NV")
_PHARMA = ("{surname} Pharma NV", "{place} Life Sciences NV")
_BUILD = ("Bouwbedrijf {surname} NV", "{surname} Bouw BV", "{surname} Aannemingen NV")
_FOOD = ("{place} Voeding NV", "{surname} Foods NV", "Brouwerij {surname} BV")
_WOOD = ("{surname} Houtbewerking BV", "Schrijnwerkerij {surname} BV")
_ICT = ("{surname} Software BV", "{place} Digital NV", "{surname} IT Solutions BV")
_LOGISTICS = ("{surname} Logistics NV", "Transport {surname} BV")
_SERVICES = ("Studiebureau {surname} BV", "{surname} Ingenieurs NV", "{place} Labs NV")
_TEXTILE = ("{surname} Textiel NV", "{place} Weverij NV")
_PRINT = ("Drukkerij {surname} BV", "{place} Print NV")
_ENERGY = ("{place} Energie NV", "{surname} Warmtetechniek BV")
_MOTOR = ("Garage {surname} BV", "{surname} Automotive NV")

NACE_WEIGHTS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("10.110", 2, _FOOD), ("10.710", 2, _FOOD), ("10.890", 2, _FOOD), ("11.050", 1, _FOOD),
    ("13.920", 1, _TEXTILE), ("16.230", 2, _WOOD), ("31.090", 2, _WOOD), ("17.210", 1, _PRINT),
    ("18.120", 2, _PRINT), ("20.141", 2, _CHEMICAL), ("20.160", 2, _CHEMICAL), ("20.590", 2, _CHEMICAL),
    ("21.200", 2, _PHARMA), ("22.210", 2, _PLASTICS), ("22.290", 3, _PLASTICS), ("23.610", 2, _BUILD),
    ("24.100", 1, _METAL), ("24.420", 1, _METAL), ("25.110", 3, _METAL), ("25.620", 6, _METAL),
    ("25.990", 2, _METAL), ("26.110", 1, _ELECTRIC), ("26.510", 2, _ELECTRIC), ("27.120", 2, _ELECTRIC),
    ("27.330", 1, _ELECTRIC), ("28.130", 2, _MACHINES), ("28.220", 2, _MACHINES), ("28.290", 3, _MACHINES),
    ("28.490", 2, _MACHINES), ("28.990", 3, _MACHINES), ("29.320", 2, _MOTOR), ("30.110", 1, _MACHINES),
    ("32.500", 1, _PHARMA), ("33.120", 5, _MACHINES), ("33.200", 4, _ELECTRIC), ("35.110", 1, _ENERGY),
    ("38.320", 2, _SERVICES), ("41.201", 4, _BUILD), ("42.110", 2, _BUILD), ("43.211", 6, _ELECTRIC),
    ("43.221", 4, _ENERGY), ("43.320", 2, _WOOD), ("45.200", 2, _MOTOR), ("46.690", 3, _LOGISTICS),
    ("49.410", 3, _LOGISTICS), ("52.100", 2, _LOGISTICS), ("62.010", 4, _ICT), ("63.110", 1, _ICT),
    ("71.121", 4, _SERVICES), ("72.190", 2, _SERVICES), ("74.101", 1, _SERVICES),
)  # fmt: skip


def _weighted_sample(rng: random.Random, population: Sequence[str], weights: Sequence[int], k: int) -> list[str]:
    """k distinct items drawn by weight."""
    chosen: list[str] = []
    while len(chosen) < min(k, len(population)):
        item = rng.choices(population, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def generate_schools(*, count: int, places: Sequence[Place], seed: int = LARGE_SEED) -> list[GeneratedSchool]:
    """`count` generated schools on the given places; the first n are the same whatever `count` is."""
    rng = random.Random(f"{seed}-schools")
    picker = _PlacePicker(places)
    templates = [t for t, _, _ in SCHOOL_TEMPLATES]
    template_weights = [w for _, _, w in SCHOOL_TEMPLATES]
    networks = {t: n for t, n, _ in SCHOOL_TEMPLATES}
    area_slugs = list(SCHOOL_AREA_WEIGHTS)
    area_weights = list(SCHOOL_AREA_WEIGHTS.values())
    seen: set[tuple[str, str]] = set()
    schools: list[GeneratedSchool] = []
    for index in range(count):
        place = picker.pick(rng)
        template = rng.choices(templates, template_weights)[0]
        base = template.format(saint=rng.choice(SAINTS), place=place.municipality)
        name, campus = base, 1
        while (name + GENERATED_SUFFIX, place.code) in seen:
            campus += 1
            name = f"{base} campus {campus}"
        seen.add((name + GENERATED_SUFFIX, place.code))
        schools.append(
            GeneratedSchool(
                name=name + GENERATED_SUFFIX,
                street=f"{rng.choice(SCHOOL_STREETS)} {rng.randint(1, 180)}",
                place=place,
                region_slug=region_slug_for(postcode=place.code, province=place.province),
                network=networks[template],
                pupils=int(rng.triangular(150, 2200, 650)),
                email=f"info.{index + 1:05d}@{GENERATED_SCHOOL_EMAIL_DOMAIN}",
                study_areas=tuple(_weighted_sample(rng, area_slugs, area_weights, rng.randint(2, 6))),
            )
        )
    return schools


def generate_companies(*, count: int, places: Sequence[Place], seed: int = LARGE_SEED) -> list[GeneratedCompany]:
    """`count` generated companies on the given places; the first n are the same whatever `count` is."""
    if GENERATED_NUMBER_BASE + count > GENERATED_NUMBER_LIMIT:
        raise ValueError(f"At most {GENERATED_NUMBER_LIMIT - GENERATED_NUMBER_BASE} generated companies.")
    rng = random.Random(f"{seed}-companies")
    picker = _PlacePicker(places)
    codes = [code for code, _, _ in NACE_WEIGHTS]
    weights = [w for _, w, _ in NACE_WEIGHTS]
    names = {code: templates for code, _, templates in NACE_WEIGHTS}
    by_province: dict[str, list[Place]] = {}
    for place in places:
        by_province.setdefault(place.province, []).append(place)
    companies: list[GeneratedCompany] = []
    for index in range(count):
        number = synthetic_enterprise_number(GENERATED_NUMBER_BASE + index + 1)
        main_place = picker.pick(rng)
        nace = _weighted_sample(rng, codes, weights, 1 + (rng.random() < 0.4) + (rng.random() < 0.1))
        # Skewed: most companies are small, a few employ thousands (median about 20).
        employees = max(1, min(12_000, math.floor(rng.lognormvariate(3.0, 1.4))))
        n_sites = 1 + (employees >= 50 and rng.random() < 0.5) + (employees >= 250 and rng.random() < 0.6)
        name = rng.choice(names[nace[0]]).format(surname=rng.choice(SURNAMES), place=main_place.municipality)
        sites = [GeneratedSite("Hoofdzetel", _company_street(rng), main_place, True)]
        for _ in range(n_sites - 1):
            nearby = rng.random() < 0.7
            site_place = rng.choice(by_province[main_place.province]) if nearby else picker.pick(rng)
            sites.append(GeneratedSite(f"Vestiging {site_place.municipality}", _company_street(rng), site_place, False))
        companies.append(
            GeneratedCompany(
                enterprise_number=number,
                name=name + GENERATED_SUFFIX,
                employees=employees,
                email=f"info.{index + 1:05d}@{GENERATED_COMPANY_EMAIL_DOMAIN}",
                nace_codes=tuple(nace),
                sites=tuple(sites),
            )
        )
    return companies


def _company_street(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_STREETS)} {rng.randint(1, 250)}"


_LOWER_PARTICLES = frozenset({"aan", "bij", "de", "den", "der", "het", "in", "op", "over", "t", "ten", "ter", "van"})


def place_name(municipality: str) -> str:
    """A place name as Flemings write it: Heist-op-den-Berg, 's Gravenwezel (the table capitalises every part)."""
    name = municipality.strip()
    if name.startswith("'S "):
        name = "'s " + name[3:]  # only the case changes, so Postcode.objects.resolve() still finds the place
    parts = name.split("-")
    return "-".join([parts[0], *(p.lower() if p.lower().lstrip("'") in _LOWER_PARTICLES else p for p in parts[1:])])


def flemish_places() -> list[Place]:
    """The Postcode rows of the five Flemish provinces, in a stable order, with place names tidied."""
    rows = Postcode.objects.filter(province__in=FLEMISH_PROVINCES).order_by("code", "municipality")
    return [Place(p.code, place_name(p.municipality), p.province, p.latitude, p.longitude) for p in rows]


class _PlacePicker:
    """Picks a postcode uniformly, then one of its places: the table lists many villages under some postcodes
    (9700 Oudenaarde has 14), and picking rows would crowd generated data into those areas."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.by_code: dict[str, list[Place]] = {}
        for place in places:
            self.by_code.setdefault(place.code, []).append(place)
        self.codes = sorted(self.by_code)

    def pick(self, rng: random.Random) -> Place:
        return rng.choice(self.by_code[rng.choice(self.codes)])


def generated_schools() -> SchoolQuerySet:
    """The generated (large) schools in the database."""
    return School.objects.filter(name__endswith=GENERATED_SUFFIX, email__endswith=f"@{GENERATED_SCHOOL_EMAIL_DOMAIN}")


def generated_companies() -> CompanyQuerySet:
    """The generated (large) companies in the database, recognised by their enterprise-number range."""
    return Company.objects.filter(
        enterprise_number__gte=synthetic_enterprise_number(GENERATED_NUMBER_BASE),
        enterprise_number__lte=synthetic_enterprise_number(GENERATED_NUMBER_LIMIT),
    )


@transaction.atomic
def build_large(
    *, schools: int = LARGE_SCHOOLS, companies: int = LARGE_COMPANIES, seed: int = LARGE_SEED
) -> SeedReport:
    """Add `schools` generated schools and `companies` generated companies (with sites and NACE codes).

    Deterministic for a given seed. Idempotent: rows already present (schools by their numbered e-mail address or
    name + postcode, companies by enterprise number) are left alone, so a second run adds nothing and a run with
    larger counts adds only the rest. `generated_schools().delete()` and `generated_companies().delete()` remove
    the lot.
    """
    started = time.perf_counter()
    report = SeedReport()
    places = flemish_places()
    if not places:
        raise ValueError("The Postcode table has no Flemish postcodes; run the migrations first.")
    _build_large_schools(generate_schools(count=schools, places=places, seed=seed), report=report)
    _build_large_companies(generate_companies(count=companies, places=places, seed=seed), report=report)
    _register_large_schools(report=report)
    report.seconds = time.perf_counter() - started
    return report


def _build_large_schools(specs: list[GeneratedSchool], *, report: SeedReport) -> None:
    regions = dict(Region.objects.values_list("slug", "id"))
    areas = dict(StudyArea.objects.values_list("slug", "id"))
    # A generated school is known by its numbered e-mail address (stable even if the name generator changes) and,
    # for the unique constraint, by name + postcode.
    emails: set[str] = set()
    keys: set[tuple[str, str]] = set()
    for email, name, code in generated_schools().values_list("email", "name", "postcode"):
        emails.add(email)
        keys.add((name, code))
    missing = [s for s in specs if s.email not in emails and (s.name, s.place.code) not in keys]
    report.skipped["schools"] += len(specs) - len(missing)
    School.objects.bulk_create(
        [
            School(
                name=s.name,
                street=s.street,
                postcode=s.place.code,
                municipality=s.place.municipality,
                latitude=s.place.latitude,
                longitude=s.place.longitude,
                region_id=regions[s.region_slug],
                network=s.network,
                pupils=s.pupils,
                email=s.email,
            )
            for s in missing
        ],
        batch_size=BATCH_SIZE,
    )
    report.tally("schools", created=True, n=len(missing))
    if not missing:
        return
    ids = dict(generated_schools().values_list("email", "id"))
    through = School.study_areas.through
    links = [through(school_id=ids[s.email], studyarea_id=areas[slug]) for s in missing for slug in s.study_areas]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    report.tally("school study areas", created=True, n=len(links))


def _register_large_schools(*, report: SeedReport) -> None:
    """Register the generated schools in the current edition, so matching can be measured on a full edition."""
    edition = Edition.objects.current()
    if edition is None:
        return
    registered = Participation.objects.filter(edition=edition).values("school_id")
    missing = list(generated_schools().exclude(pk__in=registered).order_by("pk").values_list("pk", flat=True))
    Participation.objects.bulk_create(
        [
            Participation(edition=edition, school_id=school_id, registered_at=_registered_at(edition, i))
            for i, school_id in enumerate(missing)
        ],
        batch_size=BATCH_SIZE,
    )
    report.tally("participations (current edition)", created=True, n=len(missing))


def _build_large_companies(specs: list[GeneratedCompany], *, report: SeedReport) -> None:
    divisions = dict(NaceDivision.objects.values_list("code", "id"))
    existing = set(generated_companies().values_list("enterprise_number", flat=True))
    missing = [c for c in specs if c.enterprise_number not in existing]
    report.skipped["companies"] += len(specs) - len(missing)
    Company.objects.bulk_create(
        [
            Company(name=c.name, enterprise_number=c.enterprise_number, employees=c.employees, email=c.email)
            for c in missing
        ],
        batch_size=BATCH_SIZE,
    )
    report.tally("companies", created=True, n=len(missing))
    if not missing:
        return
    ids = dict(generated_companies().values_list("enterprise_number", "id"))
    sites = [
        CompanySite(
            company_id=ids[c.enterprise_number],
            name=site.name,
            street=site.street,
            postcode=site.place.code,
            municipality=site.place.municipality,
            latitude=site.place.latitude,
            longitude=site.place.longitude,
            is_main=site.is_main,
        )
        for c in missing
        for site in c.sites
    ]
    CompanySite.objects.bulk_create(sites, batch_size=BATCH_SIZE)
    report.tally("company sites", created=True, n=len(sites))
    activities = [
        CompanyActivity(company_id=ids[c.enterprise_number], nace_code=code, division_id=divisions.get(code[:2]))
        for c in missing
        for code in c.nace_codes
    ]
    CompanyActivity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    report.tally("company activities (NACE-BEL)", created=True, n=len(activities))
