from django.core.management.base import BaseCommand, CommandError

from articles.importer import import_paths


class Command(BaseCommand):
    help = (
        "Import articles from files or folders (walked recursively): raw text pages (.txt), "
        "saved HTML pages (.html) and JSON Lines (.jsonl, one article per line; see README). "
        "Re-running on the same files creates no duplicates. A file that cannot be read is "
        "reported with the reason and the others are imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, paths, no_progress, **options):
        report = import_paths(paths, progress=False if no_progress else None)
        for name, reason in report.failures:
            self.stderr.write(self.style.ERROR(f"failed: {name}: {reason}"))
        self.stdout.write(self.style.SUCCESS(f"Import finished: {report.summary()}."))
        if report.failed and not (report.created or report.updated or report.skipped):
            raise CommandError(f"nothing imported: {report.failed} file(s) failed")
