import contextlib
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from articles.exports import FORMATS, export, export_lines
from articles.search.request import SORTS, SearchRequest

FILTERS = ["actor", "country", "tag", "source"]


class Command(BaseCommand):
    help = (
        "Write articles with their metadata (title, published, date_precision, source, agency, tags, "
        "actors, countries, url, origin file name, language, body) as JSON Lines or CSV, to stdout or a "
        "file: every article, or those matching the same query and filters as the search page."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="jsonl", help="jsonl (default) or csv")
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
        parser.add_argument("--q", default="", help='search words, in the search box\'s language: \'sanctions "aide militaire"\'')
        for name in FILTERS:
            parser.add_argument(f"--{name}", action="append", default=[], metavar="VALUE", help=f"{name} slug or code, as in the search page's URL (repeatable)")
        parser.add_argument("--date-from", default="", help="2022, 2022-03 or 2022-03-15")
        parser.add_argument("--date-to", default="", help="2022, 2022-03 or 2022-03-15")
        parser.add_argument("--sort", choices=sorted(SORTS), help="relevance, newest or oldest")
        parser.add_argument("--site-url", default=os.environ.get("NEWSARCHIVE_SITE_URL", ""),
                            help="the site's address, so that page_url is absolute: https://archive.example.org "
                                 "(default: $NEWSARCHIVE_SITE_URL; without it, page_url is the page's path)")

    def handle(self, *args, output=None, **options):
        request = self.search_request(options)
        try:
            target = open(output, "w", encoding="utf-8", newline="") if output else contextlib.nullcontext(sys.stdout)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        written = 0

        def counted(rows):
            nonlocal written
            for row in rows:
                written += 1
                yield row

        notices = list(request.notices) if request else []
        with target as stream:
            for line in export_lines(counted(export(request, notices, site_url=options["site_url"]).rows), options["format"]):
                stream.write(line)
        for notice in notices:
            self.stderr.write(notice)
        if output:
            self.stderr.write(f"{written} article{'' if written == 1 else 's'} written to {output}")

    @staticmethod
    def search_request(options):
        """Return the SearchRequest the options describe, or None to export everything."""
        data = QueryDict(mutable=True)
        if options["q"]:
            data["q"] = options["q"]
        for name in FILTERS:
            if options[name]:
                data.setlist(name, options[name])
        for name in ("date_from", "date_to", "sort"):
            if options[name]:
                data[name] = options[name]
        return SearchRequest.from_querydict(data) if data else None
