"""manage.py setup_editorial: create the editorial groups, permissions and workflow (idempotent)."""

from django.core.management.base import BaseCommand

from articles.editorial import EDITORS, MEDICAL_REVIEWERS, WRITERS, editorial_setup_ensure


class Command(BaseCommand):
    help = "Create or complete the Writers, Medical reviewers and Editors groups and the workflow."

    def handle(self, *args, **options):
        workflow = editorial_setup_ensure()
        tasks = ", ".join(task.name for task in workflow.tasks)
        journals = workflow.workflow_pages.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Groups {WRITERS}, {MEDICAL_REVIEWERS}, {EDITORS} ready; "
                f"workflow “{workflow.name}” ({tasks}) on {journals} journal(s)."
            )
        )
