"""The Danish sentences for a change between two periods: whether chance
explains it, how many persons it corresponds to, and the numbers behind it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from fremdrift.core.change import Change, ChangeKind
from fremdrift.core.derivation import derived_note
from fremdrift.core.i18n import _, ngettext
from fremdrift.core.model import Unit
from fremdrift.core.stats import (
    Uncomputable,
    display,
    level_text,
    round_half_up,
    uncomputable_text,
)
from fremdrift.core.text_da import format_number, format_value

_P_LIMIT = Decimal("0.001")


def _shown_values(change: Change) -> tuple[Decimal, Decimal] | None:
    """The two values the sentence shows: as printed, or else the
    estimates to one decimal (percent for shares)."""
    if change.printed is not None:
        return change.printed
    factor = 100 if change.kind is ChangeKind.PROPORTION else 1
    first, second = change.before.estimate, change.after.estimate
    if first is None or second is None:
        return None
    return rounded(first * factor), rounded(second * factor)


def rounded(number: float | Decimal, decimals: int = 1) -> Decimal:
    """``number`` rounded half up to ``decimals``, as a Decimal."""
    exact = number if isinstance(number, Decimal) else Decimal(repr(number))
    return exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _value_texts(
    change: Change, before: Decimal, after: Decimal, counted: str, population: str
) -> tuple[str, str]:
    """``("1,9 %", "3,1 %")``, ``("22,2", "35,9 sigtede pr. 1.000 beboere")``
    or ``("10", "15 sigtede")``."""
    if change.unit is Unit.PERCENT:
        return format_value(before, Unit.PERCENT), format_value(after, Unit.PERCENT)
    if change.unit is Unit.PER_1000 and counted:
        # Translators: a rate with what is counted and the population,
        # "35,9 sigtede pr. 1.000 beboere".
        after_text = _("{number} {counted} pr. 1.000 {population}").format(
            number=format_number(after),
            counted=counted,
            population=population or _("beboere"),
        )
        return format_number(before), after_text
    label = counted if change.unit is Unit.COUNT else population
    return format_number(before), format_value(after, change.unit, label)


def persons_text(persons: float) -> str:
    """``ca. 5 personer``, ``ca. 1 person``, ``under én person``; the sign
    is left out (the sentence says increase or decrease)."""
    number = abs(round_half_up(persons))
    if number == 0:
        return _("under én person")
    return ngettext("ca. {count} person", "ca. {count} personer", number).format(
        count=format_number(number)
    )


def change_sentence(change: Change, *, counted: str = "", population: str = "") -> str:
    """One Danish sentence on whether a change is beyond chance:

    ``Stigningen fra 22,2 til 35,9 sigtede pr. 1.000 beboere svarer til ca.
    5 personer og ligger inden for den statistiske usikkerhed.`` or ``...
    og er større end den statistiske usikkerhed.``; ``Faldet fra ...`` for
    a decrease. ``counted`` names what a rate or a count counts
    (``sigtede``), ``population`` a rate's population (``beboere`` by
    default). Without a
    test: why (``Usikkerheden kan ikke beregnes uden områdets
    befolkningstal.``). Equal values: there is no change to judge.
    """
    shown = _shown_values(change)
    if shown is not None and shown[0] == shown[1]:
        value = _value_texts(change, shown[0], shown[1], counted, population)[1]
        return _(
            "Tallet er det samme i begge perioder ({value}), så der er ingen "
            "ændring at vurdere."
        ).format(value=value)
    if not change.computable or shown is None or change.persons is None:
        return uncomputable_text(change.reason or Uncomputable.NUMERATOR_UNKNOWN)
    before, after = _value_texts(change, shown[0], shown[1], counted, population)
    rising = shown[1] > shown[0]
    if rising and change.beyond_chance:
        template = _(
            "Stigningen fra {before} til {after} svarer til {persons} og er "
            "større end den statistiske usikkerhed."
        )
    elif rising:
        template = _(
            "Stigningen fra {before} til {after} svarer til {persons} og ligger "
            "inden for den statistiske usikkerhed."
        )
    elif change.beyond_chance:
        template = _(
            "Faldet fra {before} til {after} svarer til {persons} og er større "
            "end den statistiske usikkerhed."
        )
    else:
        template = _(
            "Faldet fra {before} til {after} svarer til {persons} og ligger "
            "inden for den statistiske usikkerhed."
        )
    return template.format(
        before=before, after=after, persons=persons_text(change.persons)
    )


def change_explanation(
    change: Change, *, counted: str = "", population: str = ""
) -> str:
    """``change_sentence`` followed by the note on derived figures, when
    any: ``... Nævnerne er udledt af antal og andel (ca. 526 og ca.
    484).``"""
    sentence = change_sentence(change, counted=counted, population=population)
    note = derived_note(change.derived)
    return f"{sentence} {note}" if note else sentence


def p_value_text(p_value: float) -> str:
    """``p = 0,21``, ``p = 0,032``, ``p < 0,001``: two decimals from 0,1,
    three below."""
    if p_value < _P_LIMIT:
        return _("p < {p}").format(p=format_number(_P_LIMIT))
    decimals = 2 if p_value >= 0.1 else 3
    return _("p = {p}").format(p=display(p_value, decimals))


def amount_text(
    number: float | Decimal, unit: Unit, population: str = "", *, signed: bool = True
) -> str:
    """A change or gap in its unit, to one decimal: ``+1,2 procentpoint``
    for shares (given in percentage points), ``+13,7 pr. 1.000 beboere``
    for rates; the ``+`` before a positive number unless ``signed`` is
    False."""
    shown = _signed(number) if signed else format_number(rounded(number), 1)
    if unit is Unit.PERCENT:
        return _("{number} procentpoint").format(number=shown)
    if unit is Unit.PER_1000:
        return _("{number} pr. 1.000 {population}").format(
            number=shown, population=population or _("beboere")
        )
    return f"{shown} {population}" if population else shown


def change_details(change: Change, *, population: str = "") -> str | None:
    """The numbers behind ``change_sentence``, for a footnote or a table:
    ``Ændring +1,2 procentpoint (95 %-konfidensinterval -1,2 til +3,5),
    p = 0,34.`` None without a test."""
    difference = change.difference
    if not change.computable or not difference.computable:
        return None
    assert difference.estimate is not None and change.p_value is not None
    assert difference.low is not None and difference.high is not None
    factor = 100 if change.kind is ChangeKind.PROPORTION else 1
    unit = Unit.PERCENT if change.kind is ChangeKind.PROPORTION else Unit.PER_1000
    return _(
        "Ændring {difference} ({level} %-konfidensinterval {low} til {high}), {p}."
    ).format(
        difference=amount_text(difference.estimate * factor, unit, population),
        level=level_text(change.level),
        low=_signed(difference.low * factor),
        high=_signed(difference.high * factor),
        p=p_value_text(change.p_value),
    )


def _signed(number: float | Decimal) -> str:
    """One decimal with a ``+`` before a number that rounds above zero:
    ``+1,3``, ``-0,4``, ``0,0``."""
    number = rounded(number)
    shown = format_number(number, 1)
    return f"+{shown}" if number > 0 else shown
