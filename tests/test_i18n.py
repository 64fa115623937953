"""The interface is complete in nb, nn and en.

1. Every string the code marks for translation is in the catalogues (re-extracted here with
   GNU gettext into a scratch copy and compared).
2. Every nb and nn entry is translated (none empty, none fuzzy) and the compiled .mo files
   match the .po files.
3. Public pages rendered in nb and nn contain no English interface text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests import factories

SRC = Path(__file__).resolve().parent.parent / "src" / "medvirk"
LOCALE = SRC / "locale"
TRANSLATED = ("nb", "nn")
ALL = ("nb", "nn", "en")


def catalogue(lang: str) -> polib.POFile:
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalogue {path}"
    return polib.pofile(str(path))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated(lang: str) -> None:
    po = catalogue(lang)
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_source(lang: str) -> None:
    po = catalogue(lang)
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))

    def entries(f: polib._BaseFile, translated_only: bool) -> dict[tuple[str, str], object]:
        return {
            (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in f
            if e.msgid
            and not getattr(e, "obsolete", False)
            and "fuzzy" not in getattr(e, "flags", [])
            and (not translated_only or e.translated())
        }

    assert entries(mo, False) == entries(po, True), f"{lang}: run scripts/translations to recompile"


def test_catalogues_hold_every_marked_string(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is needed in CI to check the catalogues")
        pytest.skip("GNU gettext (xgettext) is not installed")
    # Extract from a copy of the sources that has no locale/ folder, so makemessages writes
    # only into the scratch catalogue (it prefers a locale/ folder beside the sources).
    sources = tmp_path / "src"
    shutil.copytree(
        SRC,
        sources,
        ignore=shutil.ignore_patterns("locale", "vendor", "__pycache__", "*.mo", "*.css", "*.js"),
    )
    scratch = tmp_path / "locale"
    shutil.copytree(LOCALE, scratch)
    env = dict(
        os.environ,
        MEDVIRK_LOCALE_PATH=str(scratch),
        DJANGO_SETTINGS_MODULE="medvirk.settings.test",
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "medvirk.cli",
            "manage",
            "makemessages",
            "-l",
            "nb",
            "--no-location",
            "--ignore",
            "migrations/*",
        ],
        cwd=sources,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {
        (e.msgctxt or "", e.msgid)
        for e in polib.pofile(str(scratch / "nb/LC_MESSAGES/django.po"))
        if not e.obsolete
    }
    committed = {(e.msgctxt or "", e.msgid) for e in catalogue("nb") if not e.obsolete}
    new = sorted(m for _, m in extracted - committed)
    assert not new, (
        f"{len(new)} strings are not in the catalogues (run scripts/translations): {new[:8]}"
    )


def _english_interface_strings() -> set[str]:
    """English msgids whose nb and nn translations differ from them (so they are telltales)."""
    nb = {e.msgid: e.msgstr for e in catalogue("nb") if e.translated()}
    nn = {e.msgid: e.msgstr for e in catalogue("nn") if e.translated()}
    out = set()
    for msgid, text in nb.items():
        if "%" in msgid or "{" in msgid or "<" in msgid or len(msgid.split()) < 3:
            continue
        if text != msgid and nn.get(msgid, msgid) != msgid:
            out.add(msgid)
    return out


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.django_db
@pytest.mark.parametrize("lang", TRANSLATED)
def test_public_pages_have_no_english_text(lang: str, client: Client) -> None:
    from medvirk.contributions.actions import Draft, do_contribute

    w = factories.world()
    receipt = do_contribute(
        AnonymousUser(), w.method, "ask_question", Draft(kind="question", text="Hei")
    )
    survey = factories.method(w.process, w.phase, key="survey")
    pages = [
        "/",
        "/tilgjengelegheit/",
        "/personvern/",
        "/om/",
        "/konto/logg-inn/",
        f"/{w.org.slug}/",
        w.process.get_absolute_url(),
        f"/{w.org.slug}/{w.process.slug}/innspel/",
        survey.get_absolute_url(),
        receipt.contribution.receipt_url(),
        "/finst-ikkje/nokon-stad/",
    ]
    telltales = _english_interface_strings()
    assert len(telltales) > 50
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang, follow=True)
        assert response.status_code in {200, 404}, url
        text = _visible_text(response.content.decode())
        leaked = sorted(s for s in telltales if s in text)
        assert not leaked, f"{url} in {lang} shows English: {leaked[:5]}"
        assert f'lang="{lang}"' in response.content.decode()
