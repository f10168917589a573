from django.core.management.base import BaseCommand

from rapor.web.help.demo import seed_demo_help


class Command(BaseCommand):
    help = "Create the demo infographics of Pusat Bantuan (once; existing ones are kept)."

    def handle(self, *args, **options):
        for infographic in seed_demo_help():
            self.stdout.write(f"Infografik: {infographic.title}")
