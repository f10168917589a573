from django.core.management.base import BaseCommand

from rapor.web import release_data
from rapor.web.accounts.demo import seed_demo_accounts


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) for the active release and list them."

    def handle(self, *args, **options):
        accounts = seed_demo_accounts(release_data.current())
        self.stdout.write("Demo accounts (sign in at /masuk/demo/):")
        for account in accounts:
            scope = account.region_code or account.npsn or "Indonesia"
            self.stdout.write(f"  {account.role:<9} {scope:<9} {account.email:<34} {account.name}")
