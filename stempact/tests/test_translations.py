"""The Dutch catalogue is complete: every translatable string in the code and templates has a Dutch translation."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

#: Top-level entries of the project that makemessages never needs to read.
NOT_SCANNED = {".git", ".venv", "node_modules", "staticfiles", "media", "locale"}


@pytest.fixture
def fresh_catalogue(tmp_path, settings, monkeypatch):
    """Run makemessages against a copy of the committed catalogue, so new strings show up as untranslated.

    makemessages also updates a `locale` folder in the directory it runs in, so it runs in a mirror of the project
    (symlinks to its folders, the catalogue copied): the committed catalogue is never touched.
    """
    mirror = tmp_path / "project"
    mirror.mkdir()
    for entry in settings.BASE_DIR.iterdir():
        if entry.name not in NOT_SCANNED:
            (mirror / entry.name).symlink_to(entry)
    shutil.copytree(settings.BASE_DIR / "locale", mirror / "locale")
    settings.LOCALE_PATHS = [mirror / "locale"]
    monkeypatch.chdir(mirror)
    call_command(
        "makemessages",
        locale=["nl"],
        ignore_patterns=["browser_tests/*", "*/tests/*"],
        symlinks=True,
        no_obsolete=True,
        verbosity=0,
    )
    return polib.pofile(str(mirror / "locale" / "nl" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_dutch_translation(fresh_catalogue):
    untranslated = [entry.msgid for entry in fresh_catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh_catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


def test_dutch_is_the_default_language():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
