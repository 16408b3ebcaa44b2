"""The statistical methods behind intervals, tests and forecasts, each in
one Danish sentence with its references, for a report's closing note
("Metode"). docs/statistics.md has the same methods in full.
"""

from __future__ import annotations

from collections.abc import Iterable

from fremdrift.core.change import Change
from fremdrift.core.forecast import Forecast
from fremdrift.core.gaps import GapChange
from fremdrift.core.i18n import _, gettext_noop
from fremdrift.core.stats import Interval, Method

# Descriptions for a report's closing note; the references are names and
# years and stay untranslated.
METHOD_NOTES: dict[Method, tuple[str, str]] = {
    Method.WILSON: (
        gettext_noop(
            "Usikkerheden på en andel er Wilsons scoreinterval ({references})."
        ),
        "Wilson 1927; Newcombe 1998a",
    ),
    Method.POISSON_EXACT: (
        gettext_noop(
            "Usikkerheden på et antal og på en rate pr. 1.000 beboere er det "
            "eksakte Poisson-interval ({references})."
        ),
        "Garwood 1936; Ulm 1990",
    ),
    Method.T: (
        gettext_noop(
            "Usikkerheden på et gennemsnit er et t-interval ud fra "
            "standardafvigelse og antal ({references})."
        ),
        "Student 1908",
    ),
    Method.NEWCOMBE: (
        gettext_noop(
            "Usikkerheden på ændringen af en andel er Newcombes hybride "
            "scoreinterval ({references})."
        ),
        "Newcombe 1998b",
    ),
    Method.MOVER_POISSON: (
        gettext_noop(
            "Usikkerheden på ændringen af en rate kombinerer de eksakte "
            "Poisson-intervaller for de to perioder ({references})."
        ),
        "Zou & Donner 2008; Garwood 1936",
    ),
    Method.N_MINUS_1_CHI_SQUARE: (
        gettext_noop(
            "Om en ændring i en andel er større end tilfældigheder, er testet "
            "med en chi-i-anden-test, der er tilpasset små tal ({references})."
        ),
        "Campbell 2007",
    ),
    Method.FISHER_IRWIN: (
        gettext_noop(
            "Ved meget små tal er ændringen i en andel testet med "
            "Fisher-Irwins eksakte test ({references})."
        ),
        "Fisher 1935; Irwin 1935; Campbell 2007",
    ),
    Method.CONDITIONAL_BINOMIAL: (
        gettext_noop(
            "Om en ændring i en rate er større end tilfældigheder, er testet "
            "med den betingede binomialtest af rateforholdet ({references})."
        ),
        "Przyborowski & Wilenski 1940; Breslow & Day 1987",
    ),
    Method.RATE_RATIO_EXACT: (
        gettext_noop(
            "Usikkerheden på forholdet mellem to rater er det eksakte "
            "betingede interval ({references})."
        ),
        "Clopper & Pearson 1934; Breslow & Day 1987",
    ),
    Method.DIFFERENCE_IN_DIFFERENCES: (
        gettext_noop(
            "Udviklingen holdes op mod sammenligningsgrundlaget som ændringen "
            "af forskellen (forskel i forskelle), med usikkerheden kombineret "
            "fra de to ændringer ({references})."
        ),
        "Wing, Simon & Bello-Gomez 2018; Zou & Donner 2008",
    ),
    Method.FORECAST_LINEAR: (
        gettext_noop(
            "Lineære fremskrivninger fører det hidtidige tempo pr. dag frem "
            "til periodens slutning med et eksakt Poisson-interval på tempoet "
            "({references})."
        ),
        "Garwood 1936",
    ),
    Method.FORECAST_SEASONAL: (
        gettext_noop(
            "Sæsonkorrigerede fremskrivninger vægter dagene efter "
            "aktivitetens sæsonprofil (færre registreringer i juli og "
            "december) og bruger et eksakt Poisson-interval på tempoet "
            "({references})."
        ),
        "Garwood 1936",
    ),
}


def method_note(method: Method) -> str:
    """One Danish sentence that names ``method`` with its references, for a
    report's closing note: ``Usikkerheden på en andel er Wilsons
    scoreinterval (Wilson 1927; Newcombe 1998a).``"""
    text, references = METHOD_NOTES[method]
    return _(text).format(references=references)


def methods_used(
    results: Iterable[Interval | Change | GapChange | Forecast],
) -> tuple[Method, ...]:
    """The methods behind ``results`` that produced a number, each once, in
    the order of ``Method``, for a report's closing note (``method_note``).
    An interval that could not be computed names no method."""
    found: set[Method] = set()
    for item in results:
        if isinstance(item, Change):
            intervals = [item.before, item.after, item.difference, item.ratio]
            if item.test is not None:
                found.add(item.test)
        elif isinstance(item, GapChange):
            intervals = [item.interval]
        elif isinstance(item, Forecast):
            intervals = [item.projected]
        else:
            intervals = [item]
        found.update(i.method for i in intervals if i is not None and i.computable)
    return tuple(m for m in Method if m in found)


def pace_paragraph(paced_by: Iterable[Method | None]) -> str:
    """How a report's running criteria got their pace, in Danish, for its
    introduction; ``paced_by`` holds, for each criterion with a pace, the
    forecast method that decided it (``FORECAST_LINEAR``,
    ``FORECAST_SEASONAL``) or None for the plain pace (the value already
    meets the target, or a count has reached the target's share of the
    period passed). It names only the methods used: a forecast's outlook
    (on track, at risk, off track), linear, season-corrected or both, then
    the plain pace. Empty when no criterion has a pace."""
    methods = list(paced_by)
    if not methods:
        return ""
    linear = Method.FORECAST_LINEAR in methods
    seasonal = Method.FORECAST_SEASONAL in methods
    plain = None in methods
    sentences: list[str] = []
    if linear or seasonal:
        sentences.append(
            _(
                "Et antal, der tælles fra registreringerne, følger sin "
                "prognose: i rute, når selv den lave ende af prognosens "
                "konfidensinterval når målet, i risiko, når målet ligger inden "
                "for intervallet, og bagud, når selv den høje ende ikke når det."
            )
        )
        if linear and seasonal:
            sentences.append(
                _(
                    "Prognosen fører det hidtidige tempo frem til periodens "
                    "slutning: lineært, eller korrigeret for sæsonudsving for "
                    "de aktiviteter, der følger skoleåret."
                )
            )
        elif seasonal:
            sentences.append(
                _(
                    "Prognosen fører det hidtidige tempo frem til periodens "
                    "slutning, korrigeret for sæsonudsving, fordi "
                    "aktiviteterne følger skoleåret."
                )
            )
        else:
            sentences.append(
                _(
                    "Prognosen fører det hidtidige tempo pr. dag lineært frem "
                    "til periodens slutning."
                )
            )
        if plain:
            sentences.append(
                _(
                    "Andre kriterier, der endnu ikke kan afgøres, er i rute, "
                    "når værdien allerede når målet, eller når et antal mindst "
                    "har nået målets andel af den forløbne periode, og ellers "
                    "bagud."
                )
            )
    else:
        sentences.append(
            _(
                "Et kriterie, der endnu ikke kan afgøres, er i rute, når "
                "værdien allerede når målet, eller når et antal mindst har nået "
                "målets andel af den forløbne periode, og ellers bagud."
            )
        )
    return " ".join(sentences)
