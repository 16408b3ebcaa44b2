from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.core.discretion import DEFAULT_THRESHOLD, Audience
from fremdrift.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.plans.commands import PlanCommand
from fremdrift.reports.assembly import REPORT_KINDS, ReportRequestError, report_build
from fremdrift.reports.renderers import RENDERERS
from fremdrift.reports.services import report_issue
from fremdrift.reports.typesetting import TypesettingError


class Command(PlanCommand):
    help = "Build a report for a plan and write it to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("--kind", choices=REPORT_KINDS, default="final")
        parser.add_argument("--year", type=int, help="annual and progress reports")
        parser.add_argument(
            "--tertial", type=int, choices=[1, 2, 3], help="progress reports"
        )
        parser.add_argument("--format", choices=sorted(RENDERERS), default="html")
        parser.add_argument(
            "--audience",
            choices=[a.value for a in Audience],
            default=Audience.INTERNAL.value,
            help="board and public hide small counts of persons",
        )
        parser.add_argument(
            "--threshold",
            type=int,
            default=DEFAULT_THRESHOLD,
            help="the smallest count of persons shown to board and public",
        )
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=DEFAULT_LANGUAGE,
            help="the report's language: da (default) or en",
        )
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--as-of", help="final report: judge as of this day")
        parser.add_argument(
            "--issue-to",
            metavar="RECIPIENT",
            help="keep the report as issued to RECIPIENT (needs --issued-by)",
        )
        parser.add_argument("--issued-by", metavar="NAME", help="who issues it")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of: {options['as_of']!r} is not a date (YYYY-MM-DD)"
                ) from None
        if options["issue_to"] or options["issued_by"]:
            if not (options["issue_to"] and options["issued_by"]):
                raise CommandError("--issue-to and --issued-by go together")
            try:
                issued = report_issue(
                    plan=plan,
                    kind=options["kind"],
                    fmt=options["format"],
                    recipient=options["issue_to"],
                    issued_by=options["issued_by"],
                    year=options["year"],
                    tertial=options["tertial"],
                    audience=options["audience"],
                    threshold=options["threshold"],
                    as_of=as_of,
                    lang=options["lang"],
                )
            except (ReportRequestError, ReportCheckError, TypesettingError) as error:
                raise CommandError(str(error)) from None
            out = Path(options["out"])
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(issued.content)
            self.stdout.write(
                f"issued {issued.title} to {issued.recipient} as #{issued.pk}; "
                f"wrote {out} (data fingerprint {issued.data_fingerprint[:12]})"
            )
            return
        try:
            document = report_build(
                plan=plan,
                kind=options["kind"],
                year=options["year"],
                tertial=options["tertial"],
                as_of=as_of,
                audience=options["audience"],
                threshold=options["threshold"],
                lang=options["lang"],
            )
        except (ReportRequestError, ReportCheckError) as error:
            raise CommandError(str(error)) from None
        try:
            content = RENDERERS[options["format"]](document)
        except TypesettingError as error:
            raise CommandError(str(error)) from None
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        self.stdout.write(f"wrote {out} ({len(content):,} bytes)")
