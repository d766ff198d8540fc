"""manage.py audit_evidence [--fix]: check the whole database against the integrity rules."""

from django.core.management.base import BaseCommand

from newsroom.desk.audit import run_audit


class Command(BaseCommand):
    help = (
        "Check that every quote anchors word for word where it is stored, every decided claim "
        "meets the rules as of now, every live explainer shows its live revision and only what "
        "may be shown, and every cached reader page matches a fresh render. Prints each "
        "violation with its admin link; exits 1 if there are any. --fix sends each claim at "
        "fault to needs re-check (with a history line) and never changes a quote."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Mend what can be mended (claims to needs re-check), then check again.",
        )

    def handle(self, *args, fix=False, **options):
        result = run_audit(fix=fix, report=lambda finding: self.stdout.write(finding.line()))
        if fix and result.findings:
            self.stdout.write(f"Fixed {result.fixed} of {len(result.findings)} findings.")
            for finding in result.remaining:
                self.stdout.write(f"Still: {finding.line()}")
        if result.remaining:
            self.stderr.write(f"{len(result.remaining)} integrity violations.")
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS("Evidence audit clean: every rule holds.")
            if not result.findings
            else self.style.SUCCESS("Evidence audit clean after fixing.")
        )
