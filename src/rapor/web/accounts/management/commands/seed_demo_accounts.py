from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rapor.web import release_data
from rapor.web.accounts.demo import seed_demo_accounts


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) for the active release and list them."

    def handle(self, *args, **options):
        # Demo accounts (a pusat superuser among them) belong to the demo settings only: made in
        # a production database they would be real accounts nobody asked for.
        if not settings.RAPOR_DEMO_LOGIN:
            raise CommandError(
                "Demo accounts are only for the demo settings (RAPOR_DEMO_LOGIN is off): "
                "import real accounts with `rapor web import_accounts` instead."
            )
        accounts = seed_demo_accounts(release_data.current())
        self.stdout.write("Demo accounts (sign in at /masuk/demo/):")
        for account in accounts:
            scope = account.region_code or account.npsn or "Indonesia"
            self.stdout.write(f"  {account.role:<9} {scope:<9} {account.email:<34} {account.name}")
