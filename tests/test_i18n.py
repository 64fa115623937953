"""The interface is complete in nb, nn and en.

The core's catalogue is src/medvirk/locale; each method app keeps its own in
methods/<key>/locale (scripts/translations fills them all).

1. Every string the code marks for translation is in its catalogue (re-extracted here with
   GNU gettext into a scratch copy and compared).
2. Every nb and nn entry is translated (none empty, none fuzzy) and the compiled .mo files
   match the .po files.
3. Public pages rendered in nb and nn contain no English interface text.
"""

from __future__ import annotations

import os
import random
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

from medvirk.processes import registry
from tests import factories

SRC = Path(__file__).resolve().parent.parent / "src" / "medvirk"
LOCALE = SRC / "locale"
# The core's catalogue first, then one per method app.
ROOTS = [LOCALE, *sorted(p for p in SRC.glob("methods/*/locale") if p.is_dir())]
TRANSLATED = ("nb", "nn")
ALL = ("nb", "nn", "en")


def _name(root: Path) -> str:
    return "core" if root == LOCALE else root.parent.name


def catalogue(lang: str, root: Path = LOCALE) -> polib.POFile:
    path = root / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing catalogue {path}"
    return polib.pofile(str(path))


def test_every_method_app_has_its_own_catalogue() -> None:
    apps = sorted(p.parent.name for p in SRC.glob("methods/*/apps.py"))
    assert apps and [_name(r) for r in ROOTS[1:]] == apps


@pytest.mark.parametrize("root", ROOTS, ids=_name)
@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated(lang: str, root: Path) -> None:
    po = catalogue(lang, root)
    missing = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("root", ROOTS, ids=_name)
@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_source(lang: str, root: Path) -> None:
    po = catalogue(lang, root)
    mo = polib.mofile(str(root / lang / "LC_MESSAGES" / "django.mo"))

    def entries(f: polib._BaseFile, translated_only: bool) -> dict[tuple[str, str], object]:
        return {
            (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in f
            if e.msgid
            and not getattr(e, "obsolete", False)
            and (not translated_only or e.translated())
        }

    assert entries(mo, False) == entries(po, True), f"{lang}: run scripts/translations to recompile"


def _extract(sources: Path, scratch: Path, *ignore: str) -> set[tuple[str, str]]:
    """Run makemessages over ``sources`` into the scratch catalogue folder."""
    env = dict(
        os.environ,
        MEDVIRK_LOCALE_PATH=str(scratch),
        DJANGO_SETTINGS_MODULE="medvirk.settings.test",
    )
    ignores = [arg for pattern in ("migrations/*", *ignore) for arg in ("--ignore", pattern)]
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
            *ignores,
        ],
        cwd=sources,
        env=env,
        check=True,
        capture_output=True,
    )
    return {
        (e.msgctxt or "", e.msgid)
        for e in polib.pofile(str(scratch / "nb/LC_MESSAGES/django.po"))
        if not e.obsolete
    }


@pytest.mark.parametrize("root", ROOTS, ids=_name)
def test_catalogues_hold_every_marked_string(tmp_path: Path, root: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is needed in CI to check the catalogues")
        pytest.skip("GNU gettext (xgettext) is not installed")
    # Extract from a copy of the sources that has no locale/ folder, so makemessages writes
    # only into the scratch catalogue (it prefers a locale/ folder beside the sources).
    sources = tmp_path / "src"
    shutil.copytree(
        root.parent,
        sources,
        ignore=shutil.ignore_patterns("locale", "vendor", "__pycache__", "*.mo", "*.css", "*.js"),
    )
    scratch = tmp_path / "locale"
    shutil.copytree(root, scratch)
    extracted = _extract(sources, scratch, *(["methods/*"] if root == LOCALE else []))
    committed = {(e.msgctxt or "", e.msgid) for e in catalogue("nb", root) if not e.obsolete}
    new = sorted(m for _, m in extracted - committed)
    assert not new, (
        f"{len(new)} strings are not in the {_name(root)} catalogue (run scripts/translations): "
        f"{new[:8]}"
    )


def _english_interface_strings() -> set[str]:
    """English msgids whose nb and nn translations differ from them (so they are telltales)."""
    nb = {e.msgid: e.msgstr for root in ROOTS for e in catalogue("nb", root) if e.translated()}
    nn = {e.msgid: e.msgstr for root in ROOTS for e in catalogue("nn", root) if e.translated()}
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
    registry.get("survey").demo_seed(survey, random.Random(3))  # questions, answers
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
        w.method.get_absolute_url(),  # the information method's question form
        f"/{w.org.slug}/{w.process.slug}/opne-data/",
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
