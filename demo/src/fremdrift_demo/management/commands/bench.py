from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift_demo.bench.scales import SCALES
from fremdrift_demo.bench.services import BenchDataError, bench_delete, bench_generate


class Command(FremdriftCommand):
    help = (
        "Generate the benchmark's fictional plans (docs/scaling.md): "
        "`bench generate --scale small|national --seed N`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate"])
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete earlier benchmark plans (bench-*, fiktiv) first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 2
        if options["replace"]:
            deleted = bench_delete()
            if deleted and options["verbosity"]:
                self.stdout.write(f"Deleted {deleted} earlier benchmark plans.")

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stderr.write(f"  plan {done}/{total}")

        try:
            summary = bench_generate(
                scale=SCALES[options["scale"]],
                seed=options["seed"],
                progress=progress,
            )
        except BenchDataError as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(summary.describe())
