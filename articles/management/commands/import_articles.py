from django.core.management.base import BaseCommand, CommandError

from articles import importer
from articles.selectors import stories_count


class Command(BaseCommand):
    help = (
        "Import articles from files or folders (walked recursively): raw text pages (.txt), saved HTML "
        "pages (.html), JSON Lines (.jsonl, one article per line; see README) and web archives (.warc, "
        ".warc.gz); and from URLs of web pages or RSS/Atom feeds. Re-running on the same files creates no "
        "duplicates. A file or page that cannot be read is reported with the reason and the others are "
        "imported; the exit status is 1 when any failed. --dry-run shows what would be extracted; --reextract "
        "re-runs extraction on the stored pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH_OR_URL", help="files, folders, page or feed URLs")
        parser.add_argument("--dry-run", action="store_true", help="show what would be extracted; store nothing")
        parser.add_argument("--reextract", action="store_true",
                            help="re-run extraction on every stored raw page, keeping curators' decisions")
        parser.add_argument("--timeout", type=float, help="seconds allowed for fetching each URL (default 20)")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, paths, dry_run, reextract, timeout, no_progress, **options):
        if reextract == bool(paths):
            raise CommandError("give files, folders or URLs to import, or --reextract alone")
        if dry_run and reextract:
            raise CommandError("--dry-run shows a new import; it does not combine with --reextract")
        if dry_run:
            return self.preview(paths, timeout)
        progress = False if no_progress else None
        report = importer.reextract_articles(progress=progress) if reextract else \
            importer.import_paths(paths, progress=progress, timeout=timeout)
        for name, reason in report.failures:
            self.stderr.write(self.style.ERROR(f"failed: {name}: {reason}"))
        verb = "Re-extraction" if reextract else "Import"
        self.stdout.write(self.style.SUCCESS(f"{verb} finished: {report.summary()}."))
        articles, stories = stories_count()
        if articles != stories:
            self.stdout.write(f"{articles} articles in the archive, {stories} once near-duplicates count once.")
        if report.failed and not (report.created or report.updated or report.skipped):
            n = report.failed
            what = f"re-extracted: {n} article{'' if n == 1 else 's'}" if reextract else f"imported: {n} {'file or page' if n == 1 else 'files or pages'}"
            raise CommandError(f"nothing {what} failed")
        if report.failed:  # exit status 1, so that scripts and cron jobs notice
            raise CommandError(f"{report.failed} failed (listed above); the others were stored", returncode=1)

    def preview(self, paths, timeout):
        failed = 0
        for unit, articles in importer.extract_inputs(paths, timeout=timeout):
            if isinstance(articles, str):
                failed += 1
                self.stdout.write(f"{unit.name}\n  would fail: {articles}")
                continue
            for article, origin in articles:
                name = unit.name if len(articles) == 1 else f"{unit.name} ({origin})"
                self.stdout.write(f"{name}\n{importer.describe(article)}")
        self.stdout.write(f"Dry run: nothing was stored ({failed} would fail).")
        if failed:
            raise CommandError(f"{failed} would fail (listed above)", returncode=1)
