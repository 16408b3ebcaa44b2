from __future__ import annotations

import re
import struct
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from fremdrift.core.model import Unit
from fremdrift.core.report_model import ChartSeries, ChartSpec
from fremdrift.reports.charts import (
    ChartError,
    _wrap,
    check_chart,
    render_png,
    render_svg,
    render_svg_image,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
AREAS = ("Glarbjergvej", "Gl. Jennumparken", "Vangdalen", "Randers Kommune")


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def charged_per_1000(**changes: object) -> ChartSpec:
    """Grouped bars as the seed draws them: areas, one bar per year."""
    rows = {
        "2019": ("16.3", None, "25.5", "9.5"),
        "2020": ("18.8", "31.1", "22.2", "11.5"),
        "2021": ("1.3", "29.2", "24.5", "10.4"),
    }
    values = {
        "key": "sigtede",
        "kind": "grouped_bars",
        "title": "Sigtede personer",
        "unit": Unit.PER_1000,
        "axis_label": "Personer pr. 1.000 beboere",
        "x_labels": AREAS,
        "series": tuple(
            ChartSeries(name=year, values=tuple(_d(v) for v in row))
            for year, row in rows.items()
        ),
        "caption": "Sigtede personer pr. 1.000 beboere",
        "alt_text": "Søjlediagram: sigtede personer pr. 1.000 beboere, 2019-2021.",
        "source": "Danmarks Statistik",
    }
    values.update(changes)
    return ChartSpec(**values)  # type: ignore[arg-type]


def employment_line(*, comparison: bool = True) -> ChartSpec:
    return ChartSpec(
        key="beskaeftigelse",
        kind="line",
        title="Beskæftigelse",
        unit=Unit.PERCENT,
        axis_label="Andel i %",
        x_labels=("2017", "2018", "2019", "2020", "2021"),
        series=(
            ChartSeries(
                "Randers Nordby",
                (_d("62"), None, _d("59.9"), _d("63.1"), _d("64.8")),
            ),
            ChartSeries(
                "Randers Kommune",
                (_d("81.7"), _d("81.9"), _d("83.6"), _d("84"), _d("84")),
                is_comparison=comparison,
            ),
        ),
        caption="Andel i beskæftigelse",
        alt_text="Linjediagram: andel i beskæftigelse 2017-2021.",
        source="Danmarks Statistik",
    )


def test_the_svg_names_its_axis_and_prints_values_the_danish_way() -> None:
    svg = render_svg(charged_per_1000())
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "Personer pr. 1.000 beboere" in svg
    assert ">22,2<" in svg
    assert ">1,3<" in svg
    assert "22.2" not in re.sub(r'"[^"]*"', "", svg)  # no English decimals


def test_the_svg_describes_itself_to_screen_readers() -> None:
    svg = render_svg(charged_per_1000())
    assert "<title>Sigtede personer</title>" in svg
    assert "<desc>Søjlediagram: sigtede personer" in svg
    assert 'role="img"' in svg
    assert 'aria-label="Søjlediagram: sigtede personer' in svg


def test_the_same_spec_gives_identical_bytes() -> None:
    spec = charged_per_1000()
    assert render_svg(spec) == render_svg(spec)
    assert render_png(spec) == render_png(spec)


def test_two_charts_on_one_page_share_no_ids() -> None:
    first = set(re.findall(r'id="([^"]+)"', render_svg(charged_per_1000())))
    second = set(re.findall(r'id="([^"]+)"', render_svg(employment_line())))
    assert first
    assert not first & second


def test_a_missing_value_is_a_gap_not_a_zero_bar() -> None:
    svg = render_svg(charged_per_1000())
    # Three years x four areas, one missing: eleven value labels.
    labels = re.findall(r">(\d+,\d)</text>", svg)
    assert len(labels) == 11
    assert ">0,0<" not in svg


def test_the_png_is_print_resolution() -> None:
    png = render_png(charged_per_1000(), dpi=200)
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    # 16 x 8 cm at 200 dpi.
    assert width == pytest.approx(1260, abs=3)
    assert height == pytest.approx(630, abs=3)


def test_a_rate_per_1000_on_a_percent_axis_is_refused() -> None:
    spec = charged_per_1000(axis_label="Andel i %")
    with pytest.raises(ChartError, match=r"per 1\.000"):
        check_chart(spec)
    with pytest.raises(ChartError):
        render_svg(spec)


@pytest.mark.parametrize(
    ("unit", "label"),
    [
        (Unit.PER_1000, "Personer"),
        (Unit.PERCENT, "Antal personer"),
        (Unit.COUNT, "Antal personer (%)"),
        (Unit.MEAN, "Gennemsnit, %"),
    ],
)
def test_an_axis_label_that_disagrees_with_the_unit_is_refused(
    unit: Unit, label: str
) -> None:
    with pytest.raises(ChartError, match="axis label"):
        check_chart(charged_per_1000(unit=unit, axis_label=label))


@pytest.mark.parametrize(
    ("unit", "label"),
    [
        (Unit.PER_1000, "Personer pr. 1000 indbyggere"),
        (Unit.PERCENT, "Andel af de 16-64-årige"),
        (Unit.PERCENT, "Pct. af eleverne"),
        (Unit.COUNT, "Antal personer"),
        (Unit.MEAN, "Gennemsnit, fraværsdage"),
    ],
)
def test_an_axis_label_that_names_the_unit_is_accepted(unit: Unit, label: str) -> None:
    check_chart(charged_per_1000(unit=unit, axis_label=label))


def test_a_series_of_the_wrong_length_is_refused() -> None:
    spec = charged_per_1000(
        series=(ChartSeries(name="2021", values=(Decimal(1), Decimal(2))),)
    )
    with pytest.raises(ChartError, match="2 values for 4 x labels"):
        check_chart(spec)


@pytest.mark.parametrize(
    "changes",
    [
        {"series": ()},
        {"series": (ChartSeries(name="2021", values=(None,) * 4),)},
        {"x_labels": (), "series": (ChartSeries(name="2021", values=()),)},
        {"kind": "pie"},
    ],
    ids=["no series", "no values", "no x labels", "unknown kind"],
)
def test_a_chart_with_nothing_to_draw_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ChartError):
        check_chart(charged_per_1000(**changes))


def test_the_comparison_population_is_dashed_in_a_line_chart() -> None:
    assert "stroke-dasharray" in render_svg(employment_line(comparison=True))
    assert "stroke-dasharray" not in render_svg(employment_line(comparison=False))


def test_a_comparison_series_is_hatched_in_a_bar_chart() -> None:
    plain = charged_per_1000()
    hatched = charged_per_1000(
        series=(
            *plain.series[:2],
            ChartSeries(
                name="Randers Kommune",
                values=plain.series[2].values,
                is_comparison=True,
            ),
        )
    )
    assert "<pattern" not in render_svg(plain)
    assert "<pattern" in render_svg(hatched)


def test_a_percent_axis_spans_up_to_100_for_large_shares() -> None:
    svg = render_svg(employment_line())
    assert ">100</text>" in svg


def test_the_figure_template_shows_the_chart_its_caption_and_source() -> None:
    html = render_to_string("reports/figure.html", {"chart": charged_per_1000()})
    assert '<figure class="chart">' in html
    assert "<svg" in html
    assert "&lt;svg" not in html
    assert "<figcaption>" in html
    assert "Sigtede personer pr. 1.000 beboere" in html
    assert "Kilde: Danmarks Statistik" in html


@pytest.mark.parametrize(
    ("label", "groups", "expected"),
    [
        ("Vangdalen", 4, "Vangdalen"),
        ("Randers Kommune", 6, "Randers\nKommune"),
        ("Glarbjergvej-området", 6, "Glarbjergvej-\nområdet"),
        (
            "Forældremyndighedsindehavere i alt",
            6,
            "Forældremynd-\nighedsindeha-\nvere i alt",
        ),
    ],
)
def test_long_population_names_are_wrapped_to_their_group(
    label: str, groups: int, expected: str
) -> None:
    assert _wrap(label, groups) == expected


def test_the_image_form_is_the_same_svg_with_its_own_style_and_alt_text() -> None:
    """The PDF's chart: an <img> whose data URI is the inline chart plus
    the style rule the page would have given it."""
    import base64
    import html

    spec = charged_per_1000(alt_text='Søjler: "Nordby" & <kommunen>')
    image = render_svg_image(spec)
    found = re.fullmatch(
        r'<img class="chart-image" id="diagram-sigtede" alt="([^"]*)"'
        r' style="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">\n',
        image,
    )
    assert found, image[:200]
    assert html.unescape(found.group(1)) == spec.alt_text
    svg = base64.b64decode(found.group(2)).decode("utf-8")
    assert "stroke-linejoin:round" in svg
    # The inline chart, less the sizing meant for the page's column.
    assert re.sub(r"<style>.*?</style>", "", svg) == render_svg(spec).replace(
        ' style="max-width: 100%; height: auto"', "", 1
    )


def test_a_chart_image_keeps_the_charts_proportions_when_typeset() -> None:
    """16 x 8 cm on the page: a chart drawn as its own image may not be
    given a viewport as tall as it is wide (white above and below it)."""
    from weasyprint import HTML

    page = f'<body style="margin: 0">{render_svg_image(charged_per_1000())}</body>'
    document = HTML(string=page).render()
    boxes = [
        box
        for box in document.pages[0]._page_box.descendants()
        if getattr(box, "element_tag", "") == "img"
    ]
    assert len(boxes) == 1
    assert boxes[0].height / boxes[0].width == pytest.approx(0.5, abs=0.01)
