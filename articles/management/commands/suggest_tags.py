import time

from django.core.management.base import BaseCommand

from articles.tagging import classifier, suggestions


class Command(BaseCommand):
    help = (
        "Learn each topic tag from the articles curators confirmed it on (from "
        f"{classifier.MIN_EXAMPLES} of them) and propose it on similar articles, with a confidence, "
        "for the review queue. With --watch, do it again whenever a curation asks for it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=float, default=classifier.THRESHOLD,
                            help=f"lowest probability proposed (default {classifier.THRESHOLD})")
        parser.add_argument("--watch", action="store_true", help="keep running: learn again after each bulk curation")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between looks with --watch (default 30)")

    def handle(self, *args, threshold, watch, interval, **options):
        while True:
            report = suggestions.suggest_if_requested(threshold=threshold) if watch else suggestions.suggest(threshold=threshold)
            if report is not None:
                for line in report.lines():
                    self.stdout.write(line)
            if not watch:
                return
            time.sleep(interval)
