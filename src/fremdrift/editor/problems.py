"""The plan folder reader's problems in the editor's words: each put on the
form field it concerns, in Danish (``planfiles.problems_da``; the reader's
own messages are English, for the command line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fremdrift.base.yamlio import format_path
from fremdrift.planfiles.errors import Problem
from fremdrift.planfiles.problems_da import danish_message

from .parts import Path

NON_FIELD = "__all__"


@dataclass(frozen=True)
class FieldProblem:
    """A problem as a form shows it: the form field (or ``NON_FIELD``) and
    the Danish sentence."""

    field: str
    message: str


def field_problems(
    problems: list[Problem],
    part_path: Path,
    field_of: Callable[[str], str],
) -> list[FieldProblem]:
    """Each problem on the form field it concerns: ``field_of`` turns the
    rest of the problem's path below the part (``target.min``,
    ``baseline.period``, ``slug``) into a form field's name, or
    ``NON_FIELD``. Problems elsewhere in the plan say where they are."""
    prefix = format_path(part_path)
    found = []
    for problem in problems:
        message = danish_message(problem)
        if problem.field == prefix:
            found.append(FieldProblem(field_of(""), message))
        elif (
            prefix
            and problem.field.startswith(prefix)
            and (problem.field[len(prefix)] in ".[")
        ):
            rest = problem.field[len(prefix) :].lstrip(".")
            found.append(FieldProblem(field_of(rest), message))
        else:
            where = problem.field or problem.file
            found.append(
                FieldProblem(
                    NON_FIELD,
                    _("Andetsteds i planen (%(where)s): %(message)s")
                    % {"where": where, "message": message},
                )
            )
    return found
