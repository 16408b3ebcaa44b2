"""The plan folder reader's problems in the editor's words: each put on the
form field it concerns, in Danish (the reader's own messages are English,
for the command line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from fremdrift.base.yamlio import format_path
from fremdrift.planfiles.errors import Problem

from .parts import Path

NON_FIELD = "__all__"


def _quoted(match: re.Match[str]) -> dict[str, str]:
    return {"name": match.group("name")}


# Each: a pattern of the reader's (or the schema's) message, and its Danish
# sentence; ``%(name)s`` is the name the message quotes.
_MESSAGES: list[tuple[str, Callable[[], str]]] = [
    (r"^is required$", lambda: _("Feltet skal udfyldes.")),
    (
        r"^'(?P<name>[^']*)' is not a slug",
        lambda: _(
            "“%(name)s” kan ikke bruges som kortnavn: brug små bogstaver, tal "
            "og bindestreger."
        ),
    ),
    (
        r"^.* '(?P<name>[^']*)' is used twice",
        lambda: _("“%(name)s” er allerede brugt i planen. Vælg et andet."),
    ),
    (
        r"^the plan ends before it starts",
        lambda: _("Planen slutter, før den begynder."),
    ),
    (
        r"^the activity ends before it starts",
        lambda: _("Aktiviteten slutter, før den begynder."),
    ),
    (
        r"^an extension must end after",
        lambda: _("En forlængelse skal slutte efter aktivitetens slutdato."),
    ),
    (
        r"^sub-activities go one level deep",
        lambda: _("En delaktivitet kan ikke have egne delaktiviteter."),
    ),
    (
        r"has one commentary per period",
        lambda: _("Der er allerede en kommentar for den periode."),
    ),
    (
        r"^unknown indicator '(?P<name>[^']*)'",
        lambda: _("Ukendt indikator “%(name)s”."),
    ),
    (
        r"^unknown population '(?P<name>[^']*)'",
        lambda: _("Ukendt område eller sammenligningsgrundlag “%(name)s”."),
    ),
    (r"^unknown area '(?P<name>[^']*)'", lambda: _("Ukendt område “%(name)s”.")),
    (
        r"^a population cannot be a part of itself",
        lambda: _("Et sammenligningsgrundlag kan ikke være en del af sig selv."),
    ),
    (
        r"^'(?P<name>[^']*)' must be another indicator that counts",
        lambda: _(
            "“%(name)s” skal være en anden indikator, der tæller (enhed: antal), "
            "fx beboerne i hvert område."
        ),
    ),
    (
        r"^indicator and population go together",
        lambda: _("Vælg både en indikator og et område eller sammenligningsgrundlag."),
    ),
    (
        r"^give either indicator\+population or values",
        lambda: _(
            "Brug enten en indikator eller indberettede værdier, ikke begge. Slet "
            "de indberettede værdier først."
        ),
    ),
    (
        r"^only an activity's criteria can use a measure",
        lambda: _("Kun en aktivitets succeskriterier kan måles på registreringerne."),
    ),
    (
        r"^give a measure, values or indicator",
        lambda: _(
            "Brug én kilde til værdierne: en måling, indberettede værdier eller en "
            "indikator."
        ),
    ),
    (r"^age_min is above age_max", lambda: _("Mindstealderen er over højestealderen.")),
    (
        r"^is required when no indicator or measure",
        lambda: _(
            "Vælg en enhed, når kriteriet hverken har en indikator eller en måling."
        ),
    ),
    (
        r"needs a baseline",
        lambda: _(
            "Denne type kriterium skal have en baseline: en værdi og en periode, "
            "eller en periode med indikatorens tal."
        ),
    ),
    (
        r"^a qualitative criterion takes evidence",
        lambda: _("Et kvalitativt kriterium har dokumentation, ikke værdier."),
    ),
    (
        r"^only qualitative criteria take a recorded verdict",
        lambda: _(
            "Kun et kvalitativt kriterium har en vurdering, som teamet angiver; "
            "de andre vurderer fremdrift selv."
        ),
    ),
    (
        r"^period '(?P<name>[^']*)' is given twice",
        lambda: _("Perioden “%(name)s” er angivet to gange."),
    ),
    (
        r"^is empty: give a number or flag it",
        lambda: _(
            "Angiv et tal, eller markér værdien som manglende, ulæselig eller "
            "skjult af diskretionshensyn."
        ),
    ),
    (
        r"^has a number but is flagged",
        lambda: _("Værdien har et tal, men er markeret som uden tal."),
    ),
    (
        r"a relative change is a fraction",
        lambda: _("En relativ ændring skrives som en brøk: 0.1 for 10 %."),
    ),
    (r"min is above its max", lambda: _("Mindsteværdien er over højesteværdien.")),
    (
        r"needs exactly one of \{relative",
        lambda: _("Angiv enten en relativ eller en absolut stigning, ikke begge."),
    ),
    (
        r"needs exactly one of \{tolerance",
        lambda: _("Angiv enten en tolerance eller en relativ tolerance, ikke begge."),
    ),
    (
        r"needs exactly one of \{at_least",
        lambda: _(
            "Angiv enten et mindste eller et højeste tal pr. periode, ikke begge."
        ),
    ),
    (r"takes no target", lambda: _("Denne type kriterium har intet mål.")),
    (r"needs ", lambda: _("Denne type kriterium skal have et mål.")),
    (
        r"(invalid period|not a recognised period form|a quarter is|a month is"
        r"|a tertial is|span ends before|range ends before)",
        lambda: _(
            "Perioden kan ikke læses. Skriv fx 2024, 2023/24, 2024K3 (kvartal) "
            "eller 2024T2 (tertial)."
        ),
    ),
]


def danish_message(problem: Problem) -> str:
    """The problem's message in Danish (the original kept when no sentence
    fits, after a Danish lead)."""
    for pattern, sentence in _MESSAGES:
        match = re.search(pattern, problem.message)
        if match:
            text = sentence()
            return text % _quoted(match) if "%(name)s" in text else text
    return _("Værdien kan ikke gemmes: %(reason)s") % {"reason": problem.message}


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
