"""Checking uploaded evidence and initiative files: the extension, the size and the content must agree.

The limits are settings (``MAMNON_UPLOADS``: the extensions of each kind, photo / video / document, and the
largest file in bytes). A file is accepted when its extension belongs to a kind, it is not larger than that
kind's limit, and its first bytes (its "magic number") are those of a format with that extension: a ``.jpg``
must start like a JPEG, a ``.docx`` must be a ZIP holding ``word/``. Nothing is taken from the browser's
declared content type. The stored name is random (``models._upload_path``); the user's name is kept only as
``original_name`` for the download.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEAD = 64  # bytes read to recognise a format

# extension -> content type sent back when the file is served
CONTENT_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
    "heic": "image/heic", "heif": "image/heif",
    "mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
    "mkv": "video/x-matroska", "avi": "video/x-msvideo", "3gp": "video/3gpp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Shown inline (images, video, PDF); every other type is a download.
INLINE = {"jpg", "jpeg", "png", "gif", "webp", "mp4", "m4v", "mov", "webm", "pdf"}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_OOXML = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF = {"application/vnd.oasis.opendocument.text": "odt", "application/vnd.oasis.opendocument.spreadsheet": "ods",
        "application/vnd.oasis.opendocument.presentation": "odp"}


def sniff(fileobj) -> set[str]:
    """The extensions the content of ``fileobj`` may carry, from its first bytes (empty: not a known format).

    ZIP files are opened to tell an Office or OpenDocument file from any other archive."""
    fileobj.seek(0)
    head = fileobj.read(HEAD)
    fileobj.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpg", "jpeg"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return {"gif"}
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return {"webp"}
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return {"avi"}
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return {"heic", "heif"}
        if brand.startswith(b"3g"):
            return {"3gp", "mp4"}
        if brand == b"qt  ":
            return {"mov"}
        return {"mp4", "m4v", "mov"}
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return {"webm", "mkv"}
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return {"doc", "xls", "ppt"}
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(fileobj)
    return set()


def _sniff_zip(fileobj) -> set[str]:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = _ODF.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
                return {kind} if kind else set()
            if "[Content_Types].xml" in names:
                return {ext for prefix, ext in _OOXML.items() if any(n.startswith(prefix) for n in names)}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return set()
    finally:
        fileobj.seek(0)
    return set()


def limits() -> dict:
    return settings.MAMNON_UPLOADS


def kind_of(extension: str) -> str | None:
    for kind, spec in limits().items():
        if extension in spec["extensions"]:
            return kind
    return None


def _mb(n: int) -> str:
    """A size for people: 12,5 MB; 300 KB; 80 byte (Vietnamese decimal comma)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


def clean_name(name: str) -> str:
    """The user's file name for display and download: no folders, no control characters, at most 200 chars."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "tep"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot else name[:200]
    return name


@dataclass
class CheckedFile:
    upload: object  # the UploadedFile
    name: str  # cleaned original name
    extension: str
    kind: str
    content_type: str
    size: int


def check(upload, *, kinds: set[str] | None = None) -> CheckedFile:
    """A checked file, or ValidationError (Vietnamese, naming the file) when its type, size or content is wrong.

    ``kinds``: the kinds accepted here (initiatives take documents only); default all kinds of the settings."""
    name = clean_name(getattr(upload, "name", ""))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = kind_of(extension)
    accepted = sorted(ext for k, spec in limits().items() if kinds is None or k in kinds for ext in spec["extensions"])
    if kind is None or (kinds is not None and kind not in kinds):
        raise ValidationError(_("“%(name)s”: files of this type are not accepted. Accepted: %(list)s.")
                              % {"name": name, "list": ", ".join(accepted)})
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    largest = int(limits()[kind]["max_bytes"])
    if size > largest:
        raise ValidationError(_("“%(name)s” is too large: %(size)s; at most %(max)s for a %(kind)s.")
                              % {"name": name, "size": _mb(size), "max": _mb(largest), "kind": _kind_label(kind)})
    if extension not in sniff(upload):
        raise ValidationError(_("“%(name)s”: the content is not a .%(ext)s file (the file may be damaged or "
                                "renamed).") % {"name": name, "ext": extension})
    return CheckedFile(upload, name, extension, kind, CONTENT_TYPES.get(extension, "application/octet-stream"),
                       size)


def _kind_label(kind: str) -> str:
    from mamnon.reporting.models import EvidenceKind

    return str(EvidenceKind(kind).label).lower() if kind in EvidenceKind.values else kind


def check_all(uploads, *, kinds: set[str] | None = None) -> list[CheckedFile]:
    """Every file checked; one ValidationError listing every bad file (so none is stored when one is bad)."""
    uploads = list(uploads or [])
    if not uploads:
        raise ValidationError({"files": _("Choose at least one file.")})
    most = int(getattr(settings, "MAMNON_UPLOAD_MAX_FILES", 20))
    if len(uploads) > most:
        raise ValidationError({"files": _("At most %(n)d files at a time.") % {"n": most}})
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check(upload, kinds=kinds))
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError({"files": errors})
    return checked
