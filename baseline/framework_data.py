"""STEM School Label framework, version 1 (European Schoolnet): 7 key elements, 21 criteria, in Dutch and English.

Loaded by migration 0002. A new version of the label becomes a new Framework row in a new migration; editions keep
the version they were set up with, so existing measurements are never rewritten.
"""

FRAMEWORK = {
    "slug": "stem-school-label-v1",
    "name": "STEM School Label",
    "version": "1",
    "source": "European Schoolnet, STEM School Label; Voka Wijzer 'voor een excellent STEM-onderwijs' (2024)",
}

# number, name (nl), name (en), short name (nl), short name (en)
ELEMENTS: list[tuple[int, str, str, str, str]] = [
    (1, "Onderwijsmethode", "Teaching methodology", "Methode", "Methodology"),
    (2, "Leerplan", "Curriculum", "Leerplan", "Curriculum"),
    (3, "Evaluatie", "Assessment", "Evaluatie", "Assessment"),
    (
        4,
        "Professionalisering van het schoolpersoneel",
        "Professional development of school staff",
        "Professionalisering",
        "Professional development",
    ),
    (5, "Leiderschap en cultuur", "Leadership and school culture", "Leiderschap", "Leadership"),
    (6, "Samenwerking", "Partnerships", "Samenwerking", "Partnerships"),
    (7, "Schoolinfrastructuur", "School infrastructure", "Infrastructuur", "Infrastructure"),
]

# number, element, name (nl), name (en), guidance (nl), guidance (en), example (nl), example (en)
CRITERIA: list[tuple[int, int, str, str, str, str, str, str]] = [
    (1, 1, "Gepersonaliseerd leren", "Personalised learning", "", "", "", ""),
    (2, 1, "Probleem- en projectgebaseerd leren", "Problem- and project-based learning", "", "", "", ""),
    (
        3,
        1,
        "Onderzoekend leren, op wetenschap en praktijk gebaseerd",
        "Inquiry-based learning, grounded in science and practice",
        "",
        "",
        "",
        "",
    ),
    (4, 2, "Nadruk op STEM-elementen", "Emphasis on STEM elements", "", "", "", ""),
    (5, 2, "Interdisciplinair lesgeven", "Interdisciplinary teaching", "", "", "", ""),
    (6, 2, "Lessen relateren aan de praktijk", "Relating lessons to real-world practice", "", "", "", ""),
    (7, 3, "Continue evaluatie", "Continuous assessment", "", "", "", ""),
    (8, 3, "Persoonlijke evaluatie", "Personalised assessment", "", "", "", ""),
    (9, 4, "Hooggekwalificeerd STEM-personeel", "Highly qualified STEM staff", "", "", "", ""),
    (10, 4, "Ondersteuning voor levenslang leren", "Support for lifelong learning", "", "", "", ""),
    (11, 4, "Professionele ontwikkeling door opleiding", "Professional development through training", "", "", "", ""),
    (
        12,
        5,
        "Directie stimuleert STEM en maakt budget vrij",
        "School leadership encourages STEM and allocates budget",
        "",
        "",
        "",
        "",
    ),
    (
        13,
        5,
        "Hoog niveau van samenwerking tussen medewerkers en met partners",
        "High level of collaboration among staff and with partners",
        "",
        "",
        "",
        "",
    ),
    (14, 5, "Inclusieve cultuur", "Inclusive culture", "", "", "", ""),
    (15, 6, "Samenwerking met de industrie", "Partnerships with industry", "", "", "", ""),
    (16, 6, "Samenwerking met ouders en begeleiders", "Partnerships with parents and carers", "", "", "", ""),
    (
        17,
        6,
        "Samenwerking met andere scholen en educatieve platformen",
        "Partnerships with other schools and educational platforms",
        "",
        "",
        "",
        "",
    ),
    (
        18,
        6,
        "Samenwerking met hoger onderwijs en onderzoekscentra",
        "Partnerships with higher education and research centres",
        "",
        "",
        "",
        "",
    ),
    (19, 6, "Samenwerking met lokale gemeenschappen", "Partnerships with local communities", "", "", "", ""),
    (20, 7, "Toegang tot technologie en apparatuur", "Access to technology and equipment", "", "", "", ""),
    (21, 7, "Hoogwaardig lesmateriaal", "High-quality teaching materials", "", "", "", ""),
]
