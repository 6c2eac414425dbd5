"""The catalogues are complete: every string has a zh-hans translation, compiled; the
language follows the browser and the switcher."""

import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.BASE_DIR) / "locale"


def _entries(po: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) per entry of a .po file, header excluded."""
    entries: list[tuple[str, list[str], bool]] = []
    msgid, fuzzy, current = "", False, ""
    strs: list[str] = []
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if msgid:  # the header has an empty msgid
                entries.append((msgid, strs, fuzzy))
            msgid, strs, fuzzy, current = "", [], False, ""
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = _unquote(line[6:]), "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif re.match(r"msgstr(\[\d+\])? ", line):
            strs.append(_unquote(line.split(" ", 1)[1]))
            current = "str"
        elif line.startswith('"') and current == "id":
            msgid += _unquote(line)
        elif line.startswith('"') and current == "str":
            strs[-1] += _unquote(line)
    return entries


def _unquote(text: str) -> str:
    return json.loads(
        text.strip()
    )  # PO strings escape quotes, newlines and backslashes as JSON does


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_it_translates_every_string(language):
    entries = _entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    untranslated = [msgid for msgid, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert untranslated == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_it_ships_compiled_catalogues_matching_the_sources(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {key if isinstance(key, str) else key[0] for key in catalog if key}
    assert {msgid for msgid, _strs, _fuzzy in _entries(folder / "django.po")} <= compiled


def test_it_follows_the_browser_language(client, personas):
    client.force_login(personas.staff)
    chinese = client.get(reverse("enterprises:list"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    english = client.get(reverse("enterprises:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "统一社会信用代码" in chinese.content.decode()
    assert "Unified social credit code" in english.content.decode()


def test_it_switches_language_on_request(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": reverse("dashboard:home")}
    )
    assert response.status_code == 302
    page = client.get(reverse("dashboard:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-CN">' in page.content.decode()
