"""The Dutch of matching reads as one voice: "je" (never "u"/"uw"), matches are "aanvaard" (never "geaccepteerd"),
the framework has "sleutelelementen" (never "kernelementen"). Reads the committed catalogue, no database."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

#: Wording the matching pages do not use, with what they say instead.
AVOID = {
    r"\b(u|uw)\b": "je/jouw/jullie",
    r"accepte": "aanvaarden",
    r"kernelement": "sleutelelement",
}


def matching_entries() -> list[polib.POEntry]:
    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    return [
        entry
        for entry in catalogue
        if not entry.obsolete
        and any(path.startswith(("matching/", "templates/matching/")) for path, _line in entry.occurrences)
    ]


def test_the_dutch_of_matching_avoids_u_accepteren_and_kernelementen():
    entries = matching_entries()
    assert len(entries) > 100  # the catalogue still says where its strings come from
    found = [
        (entry.msgid, text, advice)
        for entry in entries
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        for pattern, advice in AVOID.items()
        if re.search(pattern, text, flags=re.IGNORECASE)
    ]
    assert found == []


def test_the_neutral_need_says_finalised_baseline():
    with translation.override("nl"):
        text = gettext("No finalised baseline yet: the school's needs count as neutral.")
    assert text == "Nog geen afgeronde nulmeting: de noden van de school tellen neutraal."
