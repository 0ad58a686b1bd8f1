"""The Vietnamese catalogue is complete and consistent; the UI speaks Vietnamese unless asked otherwise."""

from __future__ import annotations

import fcntl
import re
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import trans_real

from mamnon.core.compile_messages import compile_all

# Every catalogue: the project's and those of the apps that keep their own (settings.LOCALE_PATHS).
PO_PATHS = [Path(p) / "vi" / "LC_MESSAGES" / "django.po" for p in settings.LOCALE_PATHS]

# Compile the .po before any request (the .mo files are build output), serialised so that pytest-xdist
# workers collecting this module at the same time do not write the same .mo at once. Django caches
# catalogues per process, so forget whatever was loaded before the compile.
with open(Path(tempfile.gettempdir()) / "mamnon-compile-messages.lock", "w") as _lock:
    fcntl.flock(_lock, fcntl.LOCK_EX)
    compile_all()
trans_real._translations = {}
trans_real._default = None

_SPEC = r"[#0 +-]*\d*(?:\.\d+)?[sdifFeEgGxXoruc]"
PERCENT_RE = re.compile(rf"%\((\w+)\){_SPEC}|%{_SPEC}")
DOUBLE_BRACE_RE = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
BRACE_RE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^}]*)?\}(?!\})")


def placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders (``%(n)s``, ``{{ n }}``, ``{n}``) as a set; positional ones (``%s``) in order."""
    text = text.replace("%%", "")
    named, positional = set(), []
    for m in PERCENT_RE.finditer(text):
        (named.add if m.group(1) else positional.append)(m.group(0))
    named.update("{{" + m.group(1) + "}}" for m in DOUBLE_BRACE_RE.finditer(text))
    named.update("{" + m.group(1) + "}" for m in BRACE_RE.finditer(DOUBLE_BRACE_RE.sub("", text)))
    return frozenset(named), tuple(positional)


@pytest.fixture(scope="module", params=PO_PATHS, ids=lambda p: p.parent.parent.parent.parent.name)
def po(request) -> polib.POFile:
    path = request.param
    assert path.is_file(), f"{path} is missing: run `make messages`"
    return polib.pofile(str(path))


def test_every_app_catalogue_is_listed():
    """An app with a locale/ directory is in LOCALE_PATHS, ahead of the project's catalogue."""
    package = Path(settings.LOCALE_PATHS[-1]).parent
    app_dirs = sorted(p for p in package.glob("*/locale") if p.is_dir())
    assert [Path(p) for p in settings.LOCALE_PATHS] == app_dirs + [package / "locale"]


def test_header(po):
    assert po.metadata["Language"] == "vi"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert re.sub(r"\s", "", po.metadata["Plural-Forms"]).rstrip(";") == "nplurals=1;plural=0"
    assert not po.metadata_is_fuzzy


def test_catalogue_is_complete(po):
    assert len(po) > 0
    untranslated = [e.msgid for e in po.untranslated_entries()]
    assert untranslated == []
    assert po.percent_translated() == 100


def test_no_fuzzy_or_obsolete_entries(po):
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_plural_entries_have_one_form(po):
    for entry in po:
        if entry.msgid_plural:
            assert set(entry.msgstr_plural) == {0}, entry.msgid
            assert entry.msgstr_plural[0].strip(), entry.msgid


def test_placeholders_match(po):
    mismatches = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            wanted = placeholders(entry.msgid_plural)
            pairs = [(wanted, entry.msgstr_plural.get(0, ""))]
            # The singular may omit the count, never add a name the plural lacks.
            assert placeholders(entry.msgid)[0] <= wanted[0], entry.msgid
        else:
            pairs = [(placeholders(entry.msgid), entry.msgstr)]
        for wanted, msgstr in pairs:
            if placeholders(msgstr) != wanted:
                mismatches.append((entry.msgid, msgstr))
    assert mismatches == []


def test_python_format_translations_interpolate(po):
    for entry in po:
        if "python-format" in entry.flags:
            # Django interpolates these with a dict, so the translation must format cleanly.
            # A number for %(x)d / %(x)i / %(x)f, text for the rest.
            values = {m.group(1): 1 if m.group(0)[-1] in "dif" else "x"
                      for m in PERCENT_RE.finditer(entry.msgid) if m.group(1)}
            msgstr = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            msgstr % values


def test_gettext_vietnamese():
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("Log out") == "Đăng xuất"
        assert translation.ngettext("%(n)s school", "%(n)s schools", 3) % {"n": 3} == "3 trường"


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    html = client.get("/login/").content.decode()
    assert 'lang="vi"' in html
    assert "Đăng nhập" in html
    assert "Tên đăng nhập hoặc số điện thoại" in html


@pytest.mark.django_db
def test_login_page_in_english_on_request(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/login/").content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html
    assert "Đăng nhập" not in html
