"""The plan folder reader's problems in Danish, for the web: the reader
and the schema (``reader``, ``schema``, pydantic's own messages) write
English, for the command line and the log, and the plan editor and the
plan folder's upload page show each problem in the team's language.

Each reader message has a pattern here; ``tests/editor/test_problems.py``
provokes every one of them through a real plan folder and fails on a
message that falls through to ``danish_message``'s fallback.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from .errors import Problem

# The reader's words for a text that is not a period (core.periods
# .PeriodError, pydantic's length check of PeriodCode).
_PERIOD = (
    r"(invalid period|not a recognised period form|a quarter is|a month is"
    r"|a tertial is|span ends before|range ends before)"
)


def _period() -> str:
    return _(
        "Perioden kan ikke læses. Skriv fx 2024, 2023/24, 2024K3 (kvartal) "
        "eller 2024T2 (tertial)."
    )


# Each: a pattern of the reader's (or the schema's, or pydantic's) message,
# and its Danish sentence, filled with the pattern's named groups. The
# first that matches wins, so a narrow pattern goes before a wide one.
MESSAGES: list[tuple[str, Callable[[], str]]] = [
    # The folder and its files.
    (r"^is not a folder$", lambda: _("Mappen findes ikke.")),
    (
        r"^missing: a plan folder needs plan\.yaml",
        lambda: _("Mappen mangler filen plan.yaml."),
    ),
    (
        r"^is not UTF-8",
        lambda: _("Filen er ikke gemt som UTF-8. Gem den som UTF-8, og prøv igen."),
    ),
    (
        r"^not valid YAML: (?P<reason>.*)$",
        lambda: _("Filen kan ikke læses som YAML (%(reason)s)."),
    ),
    (
        r"^must be a mapping with 'format' and 'plan' at the top",
        lambda: _("Filen skal have felterne “format” og “plan” øverst."),
    ),
    (r"^must be 'fremdrift-plan/1'", lambda: _("Skal være “fremdrift-plan/1”.")),
    (
        r"^is not a field of this format",
        lambda: _("Feltet findes ikke i planmappens format (se docs/plan-format.md)."),
    ),
    # observations.csv.
    (
        r"^is empty \(0 bytes\)",
        lambda: _("Filen er tom: overskriftslinjen mangler."),
    ),
    (
        r"^expected columns (?P<expected>\S+), got (?P<got>.*?)"
        r" \(the file looks semicolon-separated",
        lambda: _(
            "Overskriftslinjen skal være %(expected)s, men er %(got)s. Filen ser "
            "ud til at være adskilt med semikolon; brug komma."
        ),
    ),
    (
        r"^expected columns (?P<expected>\S+), got (?P<got>.*)$",
        lambda: _("Overskriftslinjen skal være %(expected)s, men er %(got)s."),
    ),
    (
        r"^has (?P<got>\d+) fields, expected (?P<expected>\d+)",
        lambda: _("Linjen har %(got)s felter, men skal have %(expected)s."),
    ),
    (
        r"^(?P<name>'.*') is not a number \(use a decimal point",
        lambda: _(
            "%(name)s er ikke et tal: brug punktum som decimaltegn og intet "
            "tusindtalsskilletegn, fx 1234.5."
        ),
    ),
    (r"^(?P<name>'.*') is not a number", lambda: _("%(name)s er ikke et tal.")),
    (
        r"^unknown flag '(?P<name>[^']*)' \(known: (?P<known>[^)]*)\)",
        lambda: _("Ukendt markering “%(name)s” (kendte: %(known)s)."),
    ),
    (
        r"^(?P<name>\S+) is given twice \(first on line (?P<line>\d+)\)",
        lambda: _(
            "“%(name)s” (indikator/område/periode) står to gange i filen; "
            "første gang på linje %(line)s."
        ),
    ),
    # Fields.
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
        r"^indicator '(?P<name>[^']*)' is in (?P<unit>\S+), the figure needs "
        r"(?P<needs>\S+)",
        lambda: _(
            "Indikatoren “%(name)s” har enheden %(unit)s, men tallet skal have "
            "enheden %(needs)s."
        ),
    ),
    (
        r"^only a share in per cent can be derived, not '(?P<name>[^']*)'",
        lambda: _(
            "Kun en andel i procent kan udledes af en anden indikator, ikke “%(name)s”."
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
    # Targets (schema.target_of_kind).
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
    (
        r"^(?P<name>\w+) is not a target of an? \w+ criterion \(allowed: "
        r"(?P<allowed>[^)]*)\)",
        lambda: _("Denne type kriterium har ikke målet “%(name)s” (kun %(allowed)s)."),
    ),
    (r"takes no target", lambda: _("Denne type kriterium har intet mål.")),
    (r"^an? \w+ criterion needs ", lambda: _("Denne type kriterium skal have et mål.")),
    # pydantic's own messages.
    (_PERIOD, _period),
    (
        r"^Input should be a valid date",
        lambda: _("Skriv en dato, fx 2026-03-01."),
    ),
    (
        r"^Input should be a valid (integer|number|decimal)"
        r"|^Input should be a finite number|^Decimal input should be",
        lambda: _("Skriv et tal."),
    ),
    (
        r"^Input should be greater than or equal to (?P<n>\S+)$",
        lambda: _("Tallet skal være mindst %(n)s."),
    ),
    (
        r"^Input should be less than or equal to (?P<n>\S+)$",
        lambda: _("Tallet må højst være %(n)s."),
    ),
    (
        r"^String should have at least 1 character",
        lambda: _("Feltet skal udfyldes."),
    ),
    (r"^Input should be a valid string", lambda: _("Skriv en tekst.")),
    (r"^Input should be a valid boolean", lambda: _("Skriv true eller false.")),
    (r"^Input should be a valid list", lambda: _("Skal være en liste.")),
    (
        r"^Input should be a valid dictionary",
        lambda: _("Skal være en gruppe af felter."),
    ),
    (
        r"^Input should be (?P<choices>'.*)$",
        lambda: _("Vælg en af de mulige værdier: %(choices)s."),
    ),
]
_COMPILED = [(re.compile(pattern), sentence) for pattern, sentence in MESSAGES]


def sentence_of(problem: Problem) -> tuple[str, str] | None:
    """The pattern that fits the problem's message, and its Danish
    sentence filled in; None when none fits."""
    last = re.split(r"[.\[]", problem.field)[-1] if problem.field else ""
    if last == "period" and problem.message.startswith("String should"):
        # PeriodCode's length check: too short or too long for a period.
        return _PERIOD, _period()
    for pattern, sentence in _COMPILED:
        match = pattern.search(problem.message)
        if match:
            text = sentence()
            filled = text % match.groupdict() if "%(" in text else text
            return pattern.pattern, filled
    return None


def danish_message(problem: Problem) -> str:
    """The problem's message in Danish (the original kept when no sentence
    fits, after a Danish lead)."""
    found = sentence_of(problem)
    if found is not None:
        return found[1]
    return _("Værdien kan ikke gemmes: %(reason)s") % {"reason": problem.message}


def danish_problems(problems: list[Problem]) -> list[Problem]:
    """The problems with their messages in Danish; file, line and field
    stay as the reader gave them (they name the file's own keys)."""
    return [dataclasses.replace(p, message=danish_message(p)) for p in problems]
