"""``{% chart_svg spec %}``: a chart drawn inline, so the HTML report stays
one self-contained file; ``{% chart_image spec %}``: the same chart as an
SVG image, for the PDF (``charts.render_svg_image``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from fremdrift.core.report_model import ChartSpec, Section, Table, figures_in_order
from fremdrift.reports.charts import render_svg, render_svg_image

register = template.Library()


@register.simple_tag
def chart_svg(spec: ChartSpec) -> SafeString:
    # render_svg escapes the spec's text itself; the rest is matplotlib's.
    return mark_safe(render_svg(spec))


@register.simple_tag
def chart_image(spec: ChartSpec) -> SafeString:
    # render_svg_image escapes the alt text; the source is base64.
    return mark_safe(render_svg_image(spec))


@register.filter
def figures(section: Section) -> tuple[Table | ChartSpec, ...]:
    """A section's tables and charts in reading order (``figures_in_order``:
    a chart right before its table)."""
    return figures_in_order(section)


@register.filter
def is_chart(figure: Table | ChartSpec) -> bool:
    return isinstance(figure, ChartSpec)
