"""Refresh the translation catalogues and compile them: `.venv/bin/python scripts/catalogues.py`.

The source strings (msgid) are French. Django's makemessages extracts them into the English
catalogue (locale/en), whose untranslated or fuzzy entries this script lists: translate them,
then run it again. The French catalogue (locale/fr) holds only the plural messages, each
translated as itself: without it an untranslated ngettext would follow English rules
(0 articles) instead of French ones (0 article). Both are compiled to the .mo files in git.
"""
import os
import subprocess
import sys
from pathlib import Path

from babel.messages import mofile, pofile

ROOT = Path(__file__).resolve().parents[1]


def extract() -> None:
    # The French catalogue is made afresh from the sources each time: nothing in it is written by hand.
    (ROOT / "locale/fr/LC_MESSAGES/django.po").unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"}
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "-l", "fr", "--add-location", "file", "--no-obsolete",
                    "-i", ".venv/*", "-i", "tests/*", "-i", "scripts/*", "-i", "var/*"], cwd=ROOT, env=env, check=True)


def read(path: Path):
    with path.open("rb") as f:
        return pofile.read_po(f, abort_invalid=True)


def write(catalog, path: Path) -> None:
    with path.open("wb") as f:
        pofile.write_po(f, catalog, width=76, include_previous=False, omit_header=False)
    with path.with_suffix(".mo").open("wb") as f:
        mofile.write_mo(f, catalog)


def french(path: Path) -> None:
    catalog = read(path)
    for message in list(catalog):
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            message.string = tuple(message.id)
            message.flags.discard("fuzzy")
        else:
            catalog.delete(message.id, context=message.context)
    catalog.locale = "fr"  # Plural-Forms: nplurals=2; plural=(n > 1);
    catalog.project, catalog.version, catalog.fuzzy = "NewsArchive", "1", False
    catalog.last_translator = catalog.language_team = "NewsArchive"
    catalog.header_comment = "# French plurals of NewsArchive: the source strings are French; only plural messages are here."
    write(catalog, path)


def english(path: Path) -> list[str]:
    catalog = read(path)
    for message in list(catalog.obsolete.values()):
        del catalog.obsolete[message.id]
    for message in catalog:
        # msgmerge's "#| msgid" (the previous text of a fuzzy entry) is read by babel as a comment
        # and was written back as "# | msgid" each run: stale source strings that never went away.
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    missing = [str(m.id) for m in catalog if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    write(catalog, path)
    return missing


if __name__ == "__main__":
    extract()
    french(ROOT / "locale/fr/LC_MESSAGES/django.po")
    missing = english(ROOT / "locale/en/LC_MESSAGES/django.po")
    for msgid in missing:
        print("to translate:", msgid)
    sys.exit(1 if missing else 0)
