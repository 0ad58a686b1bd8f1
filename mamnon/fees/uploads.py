"""Bank statement files kept between the preview and the confirmation (as the roster import keeps its files).

The file stays on the server (MEDIA_ROOT/imports/bank) under a random token bound to the user and the school;
the confirmation re-reads that file, never a payload sent back by the browser. Claiming a token for the
confirmation is atomic (a rename), so a double click records once; files older than a day are purged.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from mamnon.fees import selectors

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Stored:
    token: str
    path: Path
    user_id: int
    school_id: int
    filename: str
    created: float

    def read(self) -> bytes:
        return self.path.read_bytes()


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports" / "bank"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(token: str) -> tuple[Path, Path, Path]:
    d = _dir()
    return d / f"{token}.data", d / f"{token}.json", d / f"{token}.claimed"


def purge(now: float | None = None) -> int:
    now = now or time.time()
    removed = 0
    for path in _dir().iterdir():
        try:
            if now - path.stat().st_mtime > TTL_SECONDS:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def store(data: bytes, *, filename: str, user, school) -> str:
    purge()
    token = secrets.token_urlsafe(32)
    data_path, meta_path, _claimed = _paths(token)
    with open(data_path, "xb") as out:
        out.write(data)
    meta = {"user": user.pk, "school": school.pk, "filename": str(filename)[:200], "created": time.time()}
    with open(meta_path, "x", encoding="utf-8") as out:
        json.dump(meta, out)
    return token


def _load(token: str, meta_path: Path, data_path: Path, user) -> Stored | None:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or time.time() - meta.get("created", 0) > TTL_SECONDS:
        return None
    if not data_path.exists():
        return None
    return Stored(token, data_path, meta["user"], meta["school"], meta.get("filename", ""), meta["created"])


def get(token: str | None, *, user) -> Stored | None:
    """The user's own pending file, or None (unknown, expired, someone else's, claimed, malformed token)."""
    if not token or not TOKEN_RE.match(token):
        return None
    data_path, meta_path, _claimed = _paths(token)
    return _load(token, meta_path, data_path, user)


def claim(token: str | None, *, user) -> Stored | None:
    """Take the file for its confirmation: a second confirmation of the same upload finds nothing."""
    if get(token, user=user) is None:
        return None
    data_path, meta_path, claimed = _paths(token)
    try:
        os.rename(meta_path, claimed)
    except FileNotFoundError:
        return None
    return _load(token, claimed, data_path, user)


def release(token: str) -> None:
    """Give a claimed file back to its preview (the confirmation refused a stale preview)."""
    if TOKEN_RE.match(token or ""):
        _data, meta_path, claimed = _paths(token)
        try:
            os.rename(claimed, meta_path)
        except FileNotFoundError:
            pass


def pending(token: str | None, *, user, take: bool = False):
    """The user's kept file and its school (still one whose fees the user keeps), or (None, None); ``take``
    claims it for the confirmation. The page and the API both come through here."""
    stored = claim(token, user=user) if take else get(token, user=user)
    if stored is None:
        return None, None
    school = selectors.fee_schools(user, write=True).filter(pk=stored.school_id).first()
    if school is None:
        discard(stored.token)
        return None, None
    return stored, school


def discard(token: str) -> None:
    if TOKEN_RE.match(token or ""):
        for path in _paths(token):
            path.unlink(missing_ok=True)
