"""Compile the .po translations to .mo with polib, so installing needs no GNU gettext.

Run by `make` at install time (`python -m mamnon.core.compile_messages`); the .mo files are build
output and not committed.
"""

import sys
from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def compile_all(root: Path = PACKAGE_DIR) -> list[Path]:
    written = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(PACKAGE_DIR.parent)}", file=sys.stderr)
