import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from articles.selectors import article_export_rows


class Command(BaseCommand):
    help = (
        "Write every article with its metadata (title, published, date_precision, source, agency, "
        "tags, actors, countries, url, origin file name, body) as JSON Lines, to stdout or a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (default jsonl)")
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")

    def handle(self, *args, output=None, **options):
        try:
            target = open(output, "w", encoding="utf-8") if output else contextlib.nullcontext(sys.stdout)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        count = 0
        with target as stream:
            for row in article_export_rows():
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        if output:
            self.stderr.write(f"{count} articles written to {output}")
