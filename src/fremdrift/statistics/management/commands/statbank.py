from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift.statistics.importers.base import ImportFileError, ImportProblem
from fremdrift.statistics.importers.statbank_mapping import (
    data_request_variables,
    load_mapping,
    mapping_problems_for_table,
)
from fremdrift.statistics.statbank_client import StatBankClient, StatBankError


def _refused(what: str, problems: list[ImportProblem]) -> CommandError:
    # As `fremdrift load`: a first line with the count, then one per problem.
    count = len(problems)
    lines = [f"{count} problem{'s' if count != 1 else ''}; {what}"]
    lines += [f"  {problem}" for problem in problems]
    return CommandError("\n".join(lines))


class Command(FremdriftCommand):
    help = (
        "Fetch a table from Danmarks Statistik's StatBank as the mapping file "
        "selects it, after checking the mapping against the table "
        "(docs/import-statbank.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["fetch"])
        parser.add_argument("table", help="the StatBank table id, e.g. FOLK1A")
        parser.add_argument("--mapping", required=True, help="the mapping file (YAML)")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument(
            "--lang",
            choices=["da", "en"],
            help="the language of texts and decimals (default: the mapping's)",
        )
        parser.add_argument("--format", choices=["BULK", "CSV"], default="BULK")
        parser.add_argument(
            "--period",
            action="append",
            default=[],
            metavar="CODE",
            help="a StatBank time code to fetch (repeatable; default all: *)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mapping_path = Path(options["mapping"])
        out = Path(options["out"])
        table = options["table"]
        try:
            loaded = load_mapping(mapping_path)
        except ImportFileError as error:
            raise _refused("the mapping cannot be used", error.problems) from None
        spec = loaded.spec
        if spec.table.casefold() != table.casefold():
            raise CommandError(
                f"{mapping_path} is a mapping for table {spec.table}, not {table}"
            )
        lang = options["lang"] or spec.lang
        if lang != spec.lang:
            raise CommandError(
                f"{mapping_path} is written for lang {spec.lang} (its texts and "
                f"decimal {'comma' if spec.decimal_comma else 'point'}); fetch "
                f"with --lang {spec.lang} or change the mapping"
            )
        client = StatBankClient()
        try:
            info = client.tableinfo(table, lang=lang)
            problems = mapping_problems_for_table(loaded, info)
            if problems:
                raise _refused(
                    f"the mapping does not fit table {info.id}; nothing was fetched",
                    problems,
                )
            variables, problems = data_request_variables(
                loaded,
                info,
                periods=options["period"],
                bulk=options["format"] == "BULK",
            )
            if problems:
                raise _refused("nothing was fetched", problems)
            download = client.data(
                info.id,
                variables=variables,
                out=out,
                lang=lang,
                fmt=options["format"],
                value_presentation="Code" if spec.values_by == "code" else "Value",
            )
        except StatBankError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{out}: {download.rows} rows, {download.bytes} bytes "
            f"(table {info.id}, format {options['format']}, lang {lang})"
        )
        self.stdout.write(
            "import it with: fremdrift import PLAN_SLUG "
            f"{out} --source statbank --mapping {mapping_path}"
        )
