"""The plan's parts as the editor's overview lists them: each with its
label, key, fingerprint (for the move buttons) and the parts it holds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from fremdrift.core.text_da import format_date

from .forms import KIND_CHOICES
from .parts import fingerprint

KIND_LABELS = dict(KIND_CHOICES)

PART_LABELS = {
    "plan": _("Planens fakta"),
    "funding": _("Supplerende midler"),
    "area": _("Område"),
    "population": _("Sammenligningsgrundlag"),
    "indicator": _("Indikator"),
    "goal": _("Overordnet mål"),
    "effort_area": _("Indsatsområde"),
    "activity": _("Aktivitet"),
    "decision": _("Beslutning"),
    "funding_project": _("Fundraisingprojekt"),
    "criterion": _("Succeskriterie"),
}
# The kinds in addresses (/redigering/<plan>/<kind>/...), in Danish.
KIND_SEGMENTS = {
    "area": "omraader",
    "population": "sammenligning",
    "indicator": "indikatorer",
    "goal": "maal",
    "effort_area": "indsatsomraader",
    "activity": "aktiviteter",
    "decision": "beslutninger",
    "funding_project": "fundraising",
    "criterion": "kriterier",
}
SEGMENT_KINDS = {segment: kind for kind, segment in KIND_SEGMENTS.items()}


@dataclass
class Node:
    kind: str
    key: str
    title: str
    fingerprint: str
    first: bool
    last: bool
    detail: str = ""
    # A sub-activity, which holds no sub-activities of its own.
    sub: bool = False
    children: list[Node] = field(default_factory=list)
    criteria: list[Node] = field(default_factory=list)
    decisions: list[Node] = field(default_factory=list)


def _nodes(kind: str, items: list[Any], title: str, make: Any = None) -> list[Node]:
    nodes = []
    for i, item in enumerate(items):
        key = str(item.get("id") or item.get("slug") or i)
        node = Node(
            kind,
            key,
            str(item.get(title, "")),
            fingerprint(item),
            first=i == 0,
            last=i == len(items) - 1,
        )
        if make:
            make(node, item)
        nodes.append(node)
    return nodes


def _criteria(node: Node, item: Any) -> None:
    node.criteria = _nodes("criterion", item.get("criteria", []), "text")
    for criterion, data in zip(node.criteria, item.get("criteria", []), strict=True):
        kind = KIND_LABELS.get(data["kind"], data["kind"])
        criterion.detail = f"{data['id']} · {kind}"


def _activity(node: Node, item: Any) -> None:
    _criteria(node, item)
    node.children = _nodes(
        "activity", item.get("sub_activities", []), "name", _activity
    )
    for child in node.children:
        child.sub = True
    decisions = item.get("decisions", [])
    node.decisions = _nodes("decision", decisions, "text")
    for i, (decision, data) in enumerate(zip(node.decisions, decisions, strict=True)):
        decision.key = f"{item['slug']}-{i}"
        decision.detail = (
            _("Beslutning, %(date)s") % {"date": format_date(data["date"])}
            if isinstance(data.get("date"), datetime.date)
            else _("Beslutning")
        )


def _effort_area(node: Node, item: Any) -> None:
    _criteria(node, item)
    node.children = _nodes("activity", item.get("activities", []), "name", _activity)


def plan_tree(data: dict[str, Any]) -> dict[str, Any]:
    """The overview's sections, in the order of plan.yaml."""
    funding = data.get("supplementary_funding") or {}
    return {
        "plan": data["plan"],
        "areas": _nodes("area", data.get("areas", []), "name"),
        "populations": _nodes("population", data.get("populations", []), "name"),
        "indicators": _nodes("indicator", data.get("indicators", []), "name"),
        "goals": _nodes("goal", data.get("goals", []), "name", _criteria),
        "effort_areas": _nodes(
            "effort_area", data.get("effort_areas", []), "name", _effort_area
        ),
        "funding": funding,
        "funding_projects": _nodes(
            "funding_project", funding.get("projects", []), "name"
        ),
    }
