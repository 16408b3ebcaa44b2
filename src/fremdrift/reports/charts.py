"""Charts for reports, drawn from a ``ChartSpec`` with matplotlib.

``render_svg`` gives an inline-able ``<svg>`` element for the HTML and PDF
reports; ``render_png`` gives a print-resolution image for DOCX. Both check
the spec first (``check_chart``): a chart whose axis label disagrees with
its unit is refused, because the seed report once printed a rate per 1.000
residents on a % axis and nobody noticed.

Drawing uses ``Figure`` objects directly, never pyplot, so no global figure
state is shared between requests. The same spec always gives the same bytes:
the SVG hash salt is the chart key, and dates and creator are left out of
the metadata.
"""

from __future__ import annotations

import base64
import io
import math
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache
from html import escape

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from fremdrift.core.i18n import get_language
from fremdrift.core.model import Unit
from fremdrift.core.report_checks import axis_matches_unit
from fremdrift.core.report_model import ChartSpec
from fremdrift.core.text_da import format_number

KINDS = ("grouped_bars", "line", "cumulative")
REFERENCE_COLOURS = {"target": "#B3261E", "baseline": "#5A5A5A"}
REFERENCE_COLUMNS = 2
CUMULATIVE_TICKS = 8  # month labels that fit the axis side by side
REFERENCE_ROW_HEIGHT = 0.055  # of the figure's height, per legend row

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common colour vision deficiency. Yellow comes last: it is faint on white.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
COMPARISON_HATCH = "///"
CM = 1 / 2.54
FIGURE_SIZE = (16 * CM, 8 * CM)
INK = "#1d1d1b"
RULE = "#c9c9c9"

# rcParams are process-global; rendering holds this lock while they are
# changed so two threads cannot see each other's hash salt.
_LOCK = threading.Lock()


class ChartError(ValueError):
    """A chart spec that cannot be drawn honestly."""


# ---------------------------------------------------------------- checks


UNIT_WORDS = {
    Unit.PERCENT: "shares in %",
    Unit.PER_1000: "rates per 1.000",
    Unit.COUNT: "counts",
    Unit.MEAN: "means",
}


def check_chart(spec: ChartSpec) -> None:
    """Refuse a spec that would mislead or cannot be drawn.

    The axis label must agree with the unit: a percent axis mentions "%",
    "Andel", "pct" or "procent"; a per-1.000 axis mentions "1.000" or
    "1000" and never "%"; counts and means never mention "%". Every series
    has one value (or None) per x label, and at least one value is present.
    """
    label = spec.axis_label.strip()
    where = f"chart {spec.key!r}"
    if spec.kind not in KINDS:
        raise ChartError(
            f"{where}: unknown kind {spec.kind!r} (known: {', '.join(KINDS)})"
        )
    if not label:
        raise ChartError(f"{where}: the axis has no label")
    # One rule for axes and units, shared with the report's self-checks.
    unit = Unit(spec.unit)
    if not axis_matches_unit(unit, label):
        raise ChartError(
            f"{where}: the axis label {label!r} does not fit values that are "
            f"{UNIT_WORDS[unit]} (a share says '%' or 'Andel', a rate per 1.000 "
            "names the 1.000, a count or a mean never says %)"
        )
    if not spec.x_labels:
        raise ChartError(f"{where}: there are no x labels, nothing to draw")
    if not spec.series:
        raise ChartError(f"{where}: there are no series, nothing to draw")
    for series in spec.series:
        if len(series.values) != len(spec.x_labels):
            raise ChartError(
                f"{where}: series {series.name!r} has {len(series.values)} "
                f"values for {len(spec.x_labels)} x labels"
            )
    for band in spec.bands:
        if len(band.low) != len(spec.x_labels) or len(band.high) != len(spec.x_labels):
            raise ChartError(
                f"{where}: band {band.name!r} needs one low and one high value "
                f"per x label ({len(spec.x_labels)})"
            )
    for line in spec.reference_lines:
        if line.kind not in REFERENCE_COLOURS:
            raise ChartError(
                f"{where}: unknown reference line kind {line.kind!r} "
                f"(known: {', '.join(REFERENCE_COLOURS)})"
            )
    if all(v is None for s in spec.series for v in s.values):
        raise ChartError(f"{where}: every value is missing, nothing to draw")


# ---------------------------------------------------------------- formatting


def _decimals(values: list[Decimal]) -> int:
    """Decimals to print: as many as the most precise value has, at most 2."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return min(places, 2)


def _tick_da(x: float, _pos: object = None) -> str:
    """A tick value in Danish notation: ``2,5``, ``1.000``, ``0``."""
    if not math.isfinite(x):
        return ""
    return format_number(Decimal(str(round(float(x), 6))))


def _wrap(label: str, groups: int) -> str:
    """An x label broken into lines that fit its group's width (about 80
    characters of 8 pt text span the axis): at spaces, after hyphens, and,
    for a word still too long, with a hyphen added."""
    width = max(8, 80 // max(groups, 1))
    pieces: list[tuple[str, str]] = []  # (glue before, text)
    for word in label.split():
        glue = " "
        for part in re.split(r"(?<=-)(?=.)", word):
            while len(part) > width:
                pieces.append((glue, part[: width - 1] + "-"))
                glue, part = "", part[width - 1 :]
            pieces.append((glue, part))
            glue = ""
    lines: list[str] = []
    for glue, text in pieces:
        if lines and len(lines[-1]) + len(glue) + len(text) <= width:
            lines[-1] += glue + text
        else:
            lines.append(text)
    return "\n".join(lines)


def _comparison_labels(spec: ChartSpec) -> frozenset[str]:
    return frozenset(spec.comparison_labels)


# ---------------------------------------------------------------- drawing


@contextmanager
def _style(spec: ChartSpec) -> Iterator[None]:
    with (
        _LOCK,
        matplotlib.rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
                "font.size": 8,
                "axes.edgecolor": INK,
                "axes.labelcolor": INK,
                "text.color": INK,
                "xtick.color": INK,
                "ytick.color": INK,
                "hatch.linewidth": 0.8,
                # Real <text> in the SVG: selectable and searchable in the
                # PDF, and smaller than glyph outlines.
                "svg.fonttype": "none",
                # IDs (clip paths, hatch patterns) differ between charts on
                # one page, yet stay the same from render to render.
                "svg.hashsalt": f"fremdrift-{spec.key}",
                "path.simplify": False,
            }
        ),
    ):
        yield


def _draw(spec: ChartSpec) -> Figure:
    # Fixed margins rather than constrained layout: the layout engine drew
    # every chart twice and cost a third of a report's chart time.
    fig = Figure(figsize=FIGURE_SIZE)
    # The reference lines get a legend of their own, two to a row, under
    # the series' legend; the axes give up the height it takes.
    thresholds = {s.name for s in spec.series if s.role == "threshold"}
    reference_rows = -(
        -(len(spec.reference_lines) + len(thresholds)) // REFERENCE_COLUMNS
    )
    lifted = REFERENCE_ROW_HEIGHT * reference_rows
    ax = fig.add_axes((0.1, 0.24 + lifted, 0.88, 0.72 - lifted))
    values = [v for s in spec.series for v in s.values if v is not None]
    decimals = _decimals([Decimal(v) for v in values])
    if spec.kind == "grouped_bars":
        handles = _draw_bars(ax, spec, decimals)
    else:
        handles = _draw_lines(ax, spec)
    # Thresholds drawn as series join the reference lines' legend.
    references = [h for h in handles if h.get_label() in thresholds]
    handles = [h for h in handles if h.get_label() not in thresholds]
    references += _draw_references(ax, spec)
    # The axis holds the reference lines and bands too: a target above
    # every bar is still drawn.
    values += [line.value for line in spec.reference_lines]
    values += [v for b in spec.bands for v in (*b.low, *b.high) if v is not None]

    low = min(0.0, *(float(v) for v in values))
    high = max(0.0, *(float(v) for v in values))
    span = (high - low) or 1.0
    # Headroom for the value labels above the bars.
    top = high + span * (0.14 if spec.kind == "grouped_bars" else 0.06)
    if Unit(spec.unit) is Unit.PERCENT and top > 75 and high <= 100:
        # A share that fills most of the axis is shown on the whole 0-100.
        top = 100.0 if high <= 92 or spec.kind == "line" else 106.0
    bottom = low - span * 0.14 if low < 0 else 0.0
    ax.set_ylim(bottom, top)
    ax.set_ylabel(spec.axis_label)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_da))
    ax.grid(axis="y", color=RULE, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if low < 0:
        ax.axhline(0, color=INK, linewidth=0.8)
    # Matplotlib fills a legend column by column; with more entries than
    # fit on a line the years would read 2015, 2017, 2018 ... down the
    # columns, so the entries are reordered to read along the rows.
    columns = min(len(handles), 7)
    rows = -(-len(handles) // columns)
    ordered = [
        handles[row * columns + column]
        for column in range(columns)
        for row in range(rows)
        if row * columns + column < len(handles)
    ]
    legend = fig.legend(
        handles=ordered,
        loc="lower center",
        bbox_to_anchor=(0.5, lifted),
        ncols=columns,
        frameon=False,
    )
    if references:
        fig.add_artist(legend)
        fig.legend(
            handles=references,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=min(len(references), REFERENCE_COLUMNS),
            frameon=False,
        )
    return fig


def _draw_bars(ax, spec: ChartSpec, decimals: int) -> list:  # type: ignore[no-untyped-def]
    groups = len(spec.x_labels)
    count = len(spec.series)
    width = 0.8 / count
    comparison_labels = _comparison_labels(spec)
    many = groups * count > 12
    handles = []
    for index, series in enumerate(spec.series):
        colour = PALETTE[index % len(PALETTE)]
        offset = (index - (count - 1) / 2) * width
        for group, value in enumerate(series.values):
            if value is None:
                continue  # a gap: missing or suppressed, never a zero bar
            compared = series.is_comparison or spec.x_labels[group] in (
                comparison_labels
            )
            number = float(value)
            ax.bar(
                group + offset,
                number,
                width=width * 0.92,
                color=colour,
                edgecolor=INK if compared else colour,
                linewidth=0.6,
                hatch=COMPARISON_HATCH if compared else None,
            )
            ax.annotate(
                format_number(Decimal(value), decimals),
                (group + offset, number),
                xytext=(0, 2 if number >= 0 else -2),
                textcoords="offset points",
                ha="center",
                va="bottom" if number >= 0 else "top",
                rotation=90 if many else 0,
                fontsize=6 if many else 7,
            )
        handles.append(
            Patch(
                facecolor=colour,
                edgecolor=INK if series.is_comparison else colour,
                hatch=COMPARISON_HATCH if series.is_comparison else None,
                label=series.name,
            )
        )
    ax.set_xticks(range(groups), [_wrap(label, groups) for label in spec.x_labels])
    for tick, label in zip(ax.get_xticklabels(), spec.x_labels, strict=True):
        if label in comparison_labels:
            tick.set_fontstyle("italic")
    if comparison_labels & set(spec.x_labels):
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=INK,
                hatch=COMPARISON_HATCH,
                label="Sammenligning",
            )
        )
    ax.set_xlim(-0.5, groups - 0.5)
    ax.tick_params(axis="x", length=0)
    return handles


def _draw_references(ax, spec: ChartSpec) -> list:  # type: ignore[no-untyped-def]
    """The targets and baselines as horizontal lines: solid red for a
    target, dashed grey for a baseline; in grouped bars a line that
    belongs to one population spans that group only. Each gets a legend
    entry with its label."""
    handles = []
    groups = len(spec.x_labels)
    for line in spec.reference_lines:
        colour = REFERENCE_COLOURS[line.kind]
        style = "-" if line.kind == "target" else (0, (4, 2))
        left, right = 0.0, 1.0
        if spec.kind == "grouped_bars" and line.x_label in spec.x_labels:
            group = spec.x_labels.index(line.x_label)
            left, right = group / groups, (group + 1) / groups
        handles.append(
            ax.axhline(
                float(line.value),
                xmin=left,
                xmax=right,
                color=colour,
                linestyle=style,
                linewidth=1.2,
                label=line.label,
                zorder=3,
            )
        )
    return handles


def _draw_lines(ax, spec: ChartSpec) -> list:  # type: ignore[no-untyped-def]
    positions = range(len(spec.x_labels))
    markers = ("o", "s", "^", "D", "v", "P", "X", "*")
    handles = []
    for band in spec.bands:
        lows = [math.nan if v is None else float(v) for v in band.low]
        highs = [math.nan if v is None else float(v) for v in band.high]
        handles.append(
            ax.fill_between(
                list(positions),
                lows,
                highs,
                color=PALETTE[0],
                alpha=0.18,
                linewidth=0,
                label=band.name,
            )
        )
    for index, series in enumerate(spec.series):
        # NaN breaks the line: a missing period is a gap, not a slope.
        ys = [math.nan if v is None else float(v) for v in series.values]
        if series.role == "threshold":
            # The law's threshold: it moves with the national or the
            # region's figure and with the rules, so a step line, dashed.
            (line,) = ax.plot(
                positions,
                ys,
                color=REFERENCE_COLOURS["target"],
                linestyle=(0, (4, 2)),
                linewidth=1.2,
                drawstyle="steps-mid",
                label=series.name,
            )
            handles.append(line)
            continue
        if series.role == "pace":
            (line,) = ax.plot(
                positions,
                ys,
                color=INK,
                linestyle=(0, (2, 2)),
                linewidth=1.0,
                label=series.name,
            )
            handles.append(line)
            continue
        (line,) = ax.plot(
            positions,
            ys,
            color=PALETTE[index % len(PALETTE)],
            linestyle=(0, (5, 3)) if series.is_comparison else "-",
            linewidth=1.6,
            marker=None if spec.kind == "cumulative" else markers[index % len(markers)],
            markersize=4.5,
            label=series.name,
        )
        handles.append(line)
    if spec.kind == "cumulative" and len(spec.x_labels) > CUMULATIVE_TICKS:
        # Months over several years: a label every few months, level.
        step = -(-len(spec.x_labels) // CUMULATIVE_TICKS)
        ticks = list(positions)[::step]
        ax.set_xticks(ticks, [spec.x_labels[i] for i in ticks])
    else:
        ax.set_xticks(list(positions), spec.x_labels)
    ax.set_xlim(-0.3, len(spec.x_labels) - 0.7)
    return handles


# ---------------------------------------------------------------- output


_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_WIDTH_HEIGHT = re.compile(r'\s(width|height)="[^"]*"')
_ID = re.compile(r'\b(id)="([^"]+)"')
_REF = re.compile(r'(url\(|href=")#([^)"]+)')
_STYLE = re.compile(r"\s*<defs>\s*<style\b[^>]*>.*?</style>\s*</defs>", re.DOTALL)


# How an inline chart fits the page's column. Not for a chart that is its
# own image: there "height: auto" makes the drawing's viewport as tall as it
# is wide, and the chart sits in the middle of a square of white.
_INLINE_SIZING = ' style="max-width: 100%; height: auto"'


def _element_id(spec: ChartSpec) -> str:
    return "diagram-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", spec.key).strip("-") or "x")


def render_svg(spec: ChartSpec) -> str:
    """The chart as an ``<svg>`` element to place inline in HTML.

    Drawn once per spec and language in a process (``_svg_drawn``): a
    worker typesets the same charts for the HTML and the PDF, for the board
    and the public, again and again while the data stays the same.

    No XML declaration or DOCTYPE. The element has ``role="img"``, an
    ``aria-label`` with the alt text (what a screen reader says), a
    ``<title>`` (the spec's title, a tooltip in browsers) and a ``<desc>``
    (the alt text), and a ``viewBox`` so CSS can scale it. The accessible
    name refers to no ids, so the same chart may appear twice on a page.
    """
    return _svg_drawn(spec, get_language())


# About 30 KB a chart: a plan's charts in both languages and every
# audience, some 8 MB at most.
@lru_cache(maxsize=256)
def _svg_drawn(spec: ChartSpec, language: str) -> str:
    """``render_svg`` in ``language`` (the current one: a key of the cache,
    as numbers and month names are written in it)."""
    del language
    check_chart(spec)
    with _style(spec):
        fig = _draw(spec)
        buffer = io.StringIO()
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    text = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    text = _METADATA.sub("", text, count=1)
    ident = _element_id(spec)
    # matplotlib names its groups "figure_1", "axes_1", ...: prefix every id
    # and reference so several charts can share one HTML page.
    text = _ID.sub(lambda m: f'{m.group(1)}="{ident}-{m.group(2)}"', text)
    text = _REF.sub(lambda m: f"{m.group(1)}#{ident}-{m.group(2)}", text)
    # matplotlib's one style rule (round line joins) is in report.css
    # (.chart-image *): an inline <style> would style the whole page, and the
    # content security policy refuses it.
    text = _STYLE.sub("", text, count=1)
    opening = _SVG_OPEN.search(text)
    assert opening is not None
    tag = opening.group(0)
    width = re.search(r'width="([^"]*)"', tag)
    height = re.search(r'height="([^"]*)"', tag)
    new_tag = _WIDTH_HEIGHT.sub("", tag)[:-1].rstrip()
    new_tag += (
        f' width="{width.group(1) if width else "100%"}"'
        f' height="{height.group(1) if height else "auto"}"'
        f' id="{ident}" class="chart-image" role="img"{_INLINE_SIZING}'
        f' aria-label="{escape(spec.alt_text or spec.title)}"'
        f"><title>{escape(spec.title)}</title>"
        f"<desc>{escape(spec.alt_text)}</desc>"
    )
    text = text[: opening.start()] + new_tag + text[opening.end() :]
    return text.strip() + "\n"


# What report.css gives inline charts (``.chart-image *``), carried inside
# a chart that is its own image, where the page's styles do not reach.
_IMAGE_STYLE = "<style>*{stroke-linejoin:round;stroke-linecap:butt}</style>"


def render_svg_image(spec: ChartSpec) -> str:
    """The chart as an ``<img>`` element whose source is the SVG itself (a
    data URI), for the PDF: WeasyPrint draws an SVG image from its own
    small tree, where an inline ``<svg>`` puts every mark of every chart
    through the page's style cascade (a national plan's 75 charts: a third
    of the typesetting time and some 230 MB). The PDF keeps vector
    charts, their text as text and the alt text (``/Alt`` of the tagged
    figure)."""
    inline = render_svg(spec)
    opening = _SVG_OPEN.search(inline)
    assert opening is not None
    root = opening.group(0).replace(_INLINE_SIZING, "", 1)
    document = inline[: opening.start()] + root + _IMAGE_STYLE + inline[opening.end() :]
    source = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return (
        f'<img class="chart-image" id="{_element_id(spec)}"'
        f' alt="{escape(spec.alt_text or spec.title)}"'
        ' style="max-width: 100%; height: auto"'
        f' src="data:image/svg+xml;base64,{source}">\n'
    )


def render_png(spec: ChartSpec, dpi: int = 200) -> bytes:
    """The chart as a PNG at ``dpi`` (16 x 8 cm: 1260 x 630 px at 200)."""
    check_chart(spec)
    with _style(spec):
        fig = _draw(spec)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
