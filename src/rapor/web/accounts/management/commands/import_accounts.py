from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapor.web.accounts.importing import import_accounts


class Command(BaseCommand):
    help = "Create or update accounts from a CSV file (email,name,role,region_code,npsn,active)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        try:
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {csv_file}: {error}") from None
        report = import_accounts(text)
        if report.errors:
            raise CommandError(
                f"{csv_file}: nothing imported, fix these rows:\n  " + "\n  ".join(report.errors)
            )
        self.stdout.write(f"{csv_file}: {report.created} created, {report.updated} updated")
