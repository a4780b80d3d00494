"""The Dutch catalogue is complete: every translatable string in the code and templates has a Dutch translation."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def fresh_catalogue(tmp_path, settings):
    """Run makemessages against a copy of the committed catalogue, so new strings show up as untranslated."""
    committed = settings.BASE_DIR / "locale"
    shutil.copytree(committed, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command(
        "makemessages",
        locale=["nl"],
        ignore_patterns=[".venv/*", "node_modules/*", "staticfiles/*", "media/*", "browser_tests/*", "*/tests/*"],
        no_obsolete=True,
        verbosity=0,
    )
    return polib.pofile(str(tmp_path / "locale" / "nl" / "LC_MESSAGES" / "django.po"))


def test_every_string_has_a_dutch_translation(fresh_catalogue):
    untranslated = [entry.msgid for entry in fresh_catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh_catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


def test_dutch_is_the_default_language():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
