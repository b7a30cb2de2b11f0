import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.ingest.evaluate import evaluate, extract_folder, render_report


class Command(BaseCommand):
    help = (
        "Run extraction on the pages of FOLDER named in GOLD.json (reference annotations, in the format of "
        "shared/gold/seeds.json) and print, per field, precision, recall and F1 (actors, countries), "
        "accuracy (title, date at the reference's precision, source), the listed non-actors and "
        "non-countries extracted and the boilerplate strings left in a body. Stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold", metavar="GOLD.json", type=Path, help="reference annotations")
        parser.add_argument("folder", metavar="FOLDER", type=Path, help="folder holding the pages named there")
        parser.add_argument("--imported-on", type=date.fromisoformat, default=None,
                            help="date the pages count as imported on, YYYY-MM-DD (default today): "
                                 "a weekday without a year resolves to the latest such day before it")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the full report as JSON")

    def handle(self, *args, gold, folder, imported_on, as_json, **options):
        try:
            reference = _load(gold)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{gold}: cannot be read as reference annotations: {exc}") from None
        if not folder.is_dir():
            raise CommandError(f"{folder}: no such folder")
        missing = [name for name in reference["articles"] if not (folder / name).is_file()]
        if missing:
            self.stderr.write(f"missing from {folder} (scored as empty): {', '.join(missing)}")
        extracted = extract_folder(folder, reference["articles"], imported_on=imported_on or date.today(),
                                   model=settings.NEWSARCHIVE_SPACY_MODEL)
        report = evaluate(extracted, reference)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) if as_json else render_report(report))


def _load(path: Path) -> dict:
    reference = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(reference, dict) or not isinstance(reference.get("articles"), dict):
        raise ValueError('expected an object with "articles": {file name: annotations}')
    return reference
