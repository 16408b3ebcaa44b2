"""The report's section "Områdets status efter almenboligloven": each
area's status on every list its figures judge, under the rules in force
that year, the next list's outlook with its distances in persons, and a
chart per figure of the areas' values against the thresholds.

The section states what the figures give under the rules; it is not the
Ministry's list, and says so. For readers outside the team a distance
of 1-4 persons reads "færre end 5" (``UncertaintySettings.discretion``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .area_forecast import CriterionOutlook, ListOutlook, distance_sentence
from .area_status import (
    DERIVATIONS,
    FIGURE_LABELS,
    FIGURE_UNITS,
    Comparison,
    CriterionRule,
    DerivedFigure,
    RuleVersion,
    YearStatus,
)
from .i18n import _, gettext_noop
from .model import Unit
from .report_blocks import slug_of
from .report_model import Cell, ChartSeries, ChartSpec, Section, Table
from .text_da import format_number, format_value
from .uncertainty import TEAM_SETTINGS, UncertaintySettings

SECTION_ANCHOR = "lovstatus"
PREVENTION_PREFIX = "prevention_"

# The figures a criterion compares, in the order the law lists them, with
# a short name for a table's column.
_FIGURES: tuple[tuple[str, str], ...] = (
    ("non_western", gettext_noop("Ikke-vestlig baggrund")),
    ("without_attachment", gettext_noop("Uden tilknytning")),
    ("convicted", gettext_noop("Dømte")),
    ("basic_schooling", gettext_noop("Kun grundskole")),
    ("income", gettext_noop("Indkomst")),
)
_CHART_TITLES = {
    "non_western": gettext_noop(
        "Andel indvandrere og efterkommere fra ikke-vestlige lande"
    ),
    "without_attachment": gettext_noop(
        "Andel 18-64-årige uden tilknytning til arbejdsmarked eller uddannelse"
    ),
    "convicted": gettext_noop("Andel dømte beboere"),
    "basic_schooling": gettext_noop("Andel 30-59-årige med alene grundskole"),
    "income": gettext_noop(
        "Gennemsnitlig bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende)"
    ),
}
_SIGNS = {Comparison.EXCEEDS: ">", Comparison.AT_LEAST: "≥", Comparison.BELOW: "<"}


@dataclass(frozen=True, slots=True)
class AreaStatusInput:
    """One area: its name, its status on each list (oldest first) and the
    next list's outlook."""

    name: str
    history: tuple[YearStatus, ...]
    outlook: ListOutlook | None = None


@dataclass(frozen=True, slots=True)
class LawStatusInput:
    """What the section shows: each area, and the figures the plan
    derives from its own indicators (the section says so)."""

    areas: tuple[AreaStatusInput, ...]
    derived: tuple[DerivedFigure, ...] = ()


def _unit(figure: str) -> Unit:
    return FIGURE_UNITS.get(figure, Unit.PERCENT)


def figure_text(figure: str, value: Decimal | float | None) -> str:
    """A figure's value as printed: shares with one decimal and a per cent
    sign, the income in whole kroner."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if _unit(figure) is Unit.MEAN:
        return _("{amount} kr.").format(amount=format_number(number, 0))
    return format_value(number, Unit.PERCENT, decimals=1)


def _limit_text(rule: CriterionRule, limit: Decimal | float | None) -> str:
    """A threshold with its comparison: "> 40,0 %", "< 187.275 kr."."""
    if limit is None:
        return "–"
    return f"{_SIGNS[rule.comparison]} {figure_text(rule.figure, limit)}"


def _answer(met: bool | None) -> str:
    if met is None:
        return _("kan ikke afgøres")
    return _("opfyldt") if met else _("ikke opfyldt")


# A criterion's short name, for a table's column.
_SHORT_NAMES = {
    "non_western": gettext_noop("ikke-vestlig"),
    "without_attachment": gettext_noop("uden tilknytning"),
    "convicted": gettext_noop("dømte"),
    "basic_schooling": gettext_noop("grundskole"),
    "income": gettext_noop("indkomst"),
}


def _capitalised(text: str) -> str:
    """``text`` with its first letter upper case and the rest as it is
    ("non-Western" -> "Non-Western", not "Non-western")."""
    return text[:1].upper() + text[1:]


def _mark(met: bool | None) -> str:
    if met is None:
        return "?"
    return _("ja") if met else _("nej")


def _criterion_mark(status: YearStatus, figure: str) -> Cell:
    """Whether the list found the criterion on ``figure`` met: "ja", "nej"
    or "?" (cannot be decided); where the rules also hold the figure
    against a forebyggelsesområde's threshold, both answers, "nej / ja"."""
    main = next((c for c in status.criteria if c.rule.key == figure), None)
    other = next(
        (c for c in status.criteria if c.rule.key == PREVENTION_PREFIX + figure),
        None,
    )
    marks = [_mark(c.met) for c in (main, other) if c is not None]
    return Cell("/".join(marks) if marks else "")


def _status_name(status: YearStatus) -> str:
    headline = status.headline
    if status.large_enough is False:
        return _("under {minimum} beboere").format(
            minimum=format_number(status.version.population_minimum)
        )
    name = headline.rule.name if headline is not None else _("ingen status")
    if status.undecided:
        name += " ({names}: {answer})".format(
            names=", ".join(s.rule.name for s in status.undecided),
            answer=_("kan ikke afgøres"),
        )
    return name


def _status_text(status: YearStatus) -> str:
    """The list's status, with its years in a row where they are known."""
    headline = status.headline
    text = _status_name(status)
    if headline is not None and headline.years_in_a_row is not None:
        text += " " + _("({count}. år i træk)").format(count=headline.years_in_a_row)
    return text


def _figures_judged(history: Sequence[YearStatus]) -> list[str]:
    """The figures any list held against a threshold, in the law's order."""
    used = {c.rule.figure for status in history for c in status.criteria}
    return [key for key, _label in _FIGURES if key in used]


def _history_table(area: AreaStatusInput) -> Table:
    figures = _figures_judged(area.history)
    rows = tuple(
        (
            Cell(f"{status.list_year}{' *' if status.rules_changed else ''}"),
            *(_criterion_mark(status, figure) for figure in figures),
            Cell(_status_text(status)),
        )
        for status in area.history
    )
    return Table(
        caption=_("Status pr. 1. december, {area}").format(area=area.name),
        columns=(
            _("Liste"),
            *(_capitalised(_(_SHORT_NAMES[figure])) for figure in figures),
            _("Status"),
        ),
        rows=rows,
        source=_source_text(),
        text_columns=(1 + len(figures),),
        notes=(
            _(
                "For hvert kriterium: ja, nej eller ? (kan ikke afgøres, fordi "
                "tal mangler); to svar er grænsen for et udsat "
                "boligområde/for et forebyggelsesområde. * nye regler fra "
                "dette år (se ovenfor). Kriteriernes tal og grænser år for år "
                "står i diagrammerne."
            ),
        ),
    )


def _latest_table(area: AreaStatusInput, status: YearStatus) -> Table:
    """Each criterion of the latest list: the figure as averaged, the
    years it averages, the threshold and the answer."""
    rows = tuple(
        (
            Cell(_criterion_name(r.rule.key, r.rule.figure)),
            Cell(
                figure_text(r.rule.figure, r.value),
                None if r.value is None else r.value.quantize(Decimal("0.1")),
                None if r.value is None else _unit(r.rule.figure),
            ),
            Cell(_years_text(r.years)),
            Cell(_limit_text(r.rule, r.limit)),
            Cell(_answer(r.met)),
        )
        for r in status.criteria
    )
    if status.residents is not None:
        minimum = status.version.population_minimum
        rows = (
            (
                Cell(_("Beboere pr. 1. januar")),
                Cell(format_number(status.residents, 0), status.residents, Unit.COUNT),
                Cell(str(status.list_year)),
                Cell(f"≥ {format_number(minimum)}"),
                Cell(_answer(status.large_enough)),
            ),
            *rows,
        )
    return Table(
        caption=_("Kriterierne 1. december {year}, {area}").format(
            year=status.list_year, area=area.name
        ),
        columns=(_("Kriterium"), _("Tal"), _("År"), _("Grænse"), _("Opfyldt")),
        rows=rows,
        source=_source_text(),
        text_columns=(2, 4),
    )


def _years_text(years: Sequence[int]) -> str:
    if len(years) > 1:
        return _("gennemsnit {first}-{last}").format(first=years[0], last=years[-1])
    return str(years[0]) if years else "–"


def _source_text() -> str:
    return _("Beregnet af fremdrift efter almenboligloven § 61 a og § 61 b")


def _criterion_name(key: str, figure: str) -> str:
    name = next((_(label) for k, label in _FIGURES if k == figure), figure)
    if key.startswith(PREVENTION_PREFIX):
        return _("{name} (forebyggelse)").format(name=name)
    return name


def _percent(chance: float) -> str:
    return format_value(Decimal(round(chance * 100)), Unit.PERCENT)


def _chance_cell(outlook: CriterionOutlook) -> Cell:
    if outlook.fixed is not None:
        return Cell(_("afgjort: {answer}").format(answer=_answer(outlook.fixed)))
    if outlook.chance is None:
        return Cell(_("kan ikke beregnes"))
    return Cell(_percent(outlook.chance))


def _interval(outlook: CriterionOutlook) -> str:
    figure = outlook.rule.figure
    if outlook.low is None or outlook.high is None:
        return "–"
    return f"{figure_text(figure, outlook.low)}–{figure_text(figure, outlook.high)}"


def _outlook_table(name: str, outlook: ListOutlook) -> Table:
    rows = tuple(
        (
            Cell(_criterion_name(c.rule.key, c.rule.figure)),
            Cell(figure_text(c.rule.figure, c.value)),
            Cell(_interval(c)),
            Cell(_limit_text(c.rule, c.limit)),
            _chance_cell(c),
        )
        for c in outlook.criteria
    )
    return Table(
        caption=_("Næste liste 1. december {year}, {area}").format(
            year=outlook.list_year, area=name
        ),
        columns=(
            _("Kriterium"),
            _("Forventet"),
            _("80 %-interval"),
            _("Grænse"),
            _("Chance for opfyldt"),
        ),
        rows=rows,
        source=_("Fremskrevet af fremdrift fra områdets egne udsving år for år"),
    )


def _latest_sentence(name: str, status: YearStatus) -> str:
    day = _("1. december {year}").format(year=status.list_year)
    if status.large_enough is False:
        return _(
            "{day} havde {area} færre end {minimum} beboere og kunne ikke "
            "komme på listen."
        ).format(
            day=day,
            area=name,
            minimum=format_number(status.version.population_minimum),
        )
    headline = status.headline
    if headline is None:
        sentence = _("{day} opfyldte {area} ingen af lovens statusser.").format(
            day=day, area=name
        )
    elif headline.years_in_a_row is not None:
        sentence = _("{day} var {area} {status} ({count}. år i træk).").format(
            day=day,
            area=name,
            status=headline.rule.name,
            count=headline.years_in_a_row,
        )
    else:
        sentence = _("{day} var {area} {status}.").format(
            day=day, area=name, status=headline.rule.name
        )
    if status.undecided:
        sentence += " " + _(
            "Om området også var {names}, kan ikke afgøres, fordi tal mangler."
        ).format(names=", ".join(s.rule.name for s in status.undecided))
    return sentence


def _outlook_sentences(
    name: str, outlook: ListOutlook, settings: UncertaintySettings
) -> tuple[str, ...]:
    likely = outlook.likely
    known = [s for s in outlook.statuses if s.chance is not None]
    if likely is not None and likely.chance is not None:
        head = _(
            "Næste liste 1. december {year}: {area} bliver sandsynligvis "
            "{status} (chance {chance})."
        ).format(
            year=outlook.list_year,
            area=name,
            status=likely.rule.name,
            chance=_percent(likely.chance),
        )
    elif known and len(known) == len(outlook.statuses):
        head = _(
            "Næste liste 1. december {year}: {area} får sandsynligvis ingen status."
        ).format(year=outlook.list_year, area=name)
    else:
        head = _(
            "Næste liste 1. december {year}: tallene er for få til at give "
            "en chance for hver status."
        ).format(year=outlook.list_year)
    chances = ", ".join(
        f"{s.rule.name} {_percent(s.chance)}" for s in known if s.chance is not None
    )
    result = [head]
    if chances:
        result.append(_("Chance for hver status: {chances}.").format(chances=chances))
    distances = [
        distance_sentence(c, threshold=settings.discretion) for c in outlook.criteria
    ]
    result.extend(d[0].upper() + d[1:] + "." for d in distances if d)
    return tuple(result)


def _area_subsection(area: AreaStatusInput, settings: UncertaintySettings) -> Section:
    paragraphs: list[str] = []
    tables: list[Table] = []
    if area.history:
        latest = area.history[-1]
        paragraphs.append(_latest_sentence(area.name, latest))
        tables.extend((_history_table(area), _latest_table(area, latest)))
    if area.outlook is not None:
        paragraphs.extend(_outlook_sentences(area.name, area.outlook, settings))
        if area.outlook.criteria:
            tables.append(_outlook_table(area.name, area.outlook))
    return Section(
        title=area.name,
        anchor=f"{SECTION_ANCHOR}-{slug_of(area.name)}",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
    )


def _versions_used(areas: Sequence[AreaStatusInput]) -> list[tuple[int, RuleVersion]]:
    """Each version of the rules the lists were judged under, with the
    first list it judged, in order."""
    first: dict[str, tuple[int, RuleVersion]] = {}
    for area in areas:
        for status in area.history:
            key = status.version.key
            if key not in first or status.list_year < first[key][0]:
                first[key] = (status.list_year, status.version)
    return sorted(first.values(), key=lambda item: item[0])


def _derived_sentence(derived: DerivedFigure) -> str:
    return _(
        "Tallet for {figure} er udledt af planens indikator »{indicator}«: {how}."
    ).format(
        figure=_(FIGURE_LABELS[derived.figure]).lower(),
        indicator=derived.indicator,
        how=_(DERIVATIONS[derived.derivation]),
    )


def _intro(areas: Sequence[AreaStatusInput]) -> tuple[str, ...]:
    result = [
        _(
            "Ministeriet offentliggør hver 1. december listen over udsatte "
            "boligområder, parallelsamfund, omdannelsesområder og "
            "forebyggelsesområder efter almenboligloven § 61 a og § 61 b. "
            "Her er hvert områdes status beregnet ud fra områdets tal og de "
            "regler, der gjaldt det år; det er ikke Ministeriets egen liste."
        )
    ]
    for year, version in _versions_used(areas):
        result.append(
            _("Fra listen {year}: {title}. {note} Kilde: {source}.").format(
                year=year,
                title=version.title,
                note=version.note,
                source=version.source,
            )
        )
    return tuple(result)


def _chart(figure: str, areas: Sequence[AreaStatusInput]) -> ChartSpec | None:
    years = sorted({s.list_year for a in areas for s in a.history})
    series: list[ChartSeries] = []
    limits: dict[str, dict[int, Decimal]] = {}
    for area in areas:
        values: dict[int, Decimal] = {}
        for status in area.history:
            for result in status.criteria:
                if result.rule.figure != figure or result.limit is None:
                    continue
                limits.setdefault(result.rule.key, {})[status.list_year] = result.limit
                if result.rule.key == figure and result.value is not None:
                    values[status.list_year] = result.value
        if values:
            series.append(ChartSeries(area.name, tuple(values.get(y) for y in years)))
    if not series:
        return None
    for key in sorted(limits, key=lambda k: k.startswith(PREVENTION_PREFIX)):
        name = (
            _("Grænse for forebyggelsesområde")
            if key.startswith(PREVENTION_PREFIX)
            else _("Grænse for udsat boligområde")
        )
        series.append(
            ChartSeries(
                name, tuple(limits[key].get(y) for y in years), role="threshold"
            )
        )
    unit = _unit(figure)
    title = _(_CHART_TITLES[figure])
    axis = _("Andel i %") if unit is Unit.PERCENT else _("Gennemsnit, kr.")
    return ChartSpec(
        key=f"{SECTION_ANCHOR}-{figure}",
        kind="line",
        title=title,
        unit=unit,
        axis_label=axis,
        x_labels=tuple(str(y) for y in years),
        series=tuple(series),
        caption=_("{title} på listerne {first}-{last}, mod lovens grænse").format(
            title=title, first=years[0], last=years[-1]
        ),
        alt_text=_(
            "Linjediagram: {title} for {areas} på listerne {first}-{last}, "
            "med lovens grænse som stiplet linje."
        ).format(
            title=title,
            areas=", ".join(s.name for s in series if s.role != "threshold"),
            first=years[0],
            last=years[-1],
        ),
        source=_source_text(),
    )


def area_status_section(
    law: LawStatusInput | None,
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> Section | None:
    """The section for ``law``'s areas; None when no area has a figure of
    the law (the plan follows no such figures)."""
    if law is None:
        return None
    shown = [a for a in law.areas if a.history or a.outlook is not None]
    if not shown:
        return None
    charts = tuple(
        chart
        for figure, _label in _FIGURES
        if (chart := _chart(figure, shown)) is not None
    )
    return Section(
        title=_("Områdets status efter almenboligloven"),
        anchor=SECTION_ANCHOR,
        paragraphs=(*_intro(shown), *(_derived_sentence(d) for d in law.derived)),
        charts=charts,
        subsections=tuple(_area_subsection(a, settings) for a in shown),
    )
