"""YAML in and out for plan files.

Floats are read as ``Decimal`` straight from their text, so "8.2" stays
exactly 8.2 and a dump writes back what was read. The composed node tree is
kept beside the data so that a validation error can name the line.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import yaml


class _PlanLoader(yaml.SafeLoader):
    pass


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node).replace("_", "")
    lowered = text.lower()
    if lowered in {".nan", ".inf", "-.inf", "+.inf"}:
        raise yaml.constructor.ConstructorError(
            None, None, f"{text!r} is not a usable number", node.start_mark
        )
    return Decimal(text)


_PlanLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # A date-shaped text that is no date (2025-02-30, 2023-13-01) stays
    # text, so that validation names its file, line and field, instead of
    # PyYAML raising a bare ValueError, without a line, for the whole file.
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[attr-defined]
    except ValueError:
        return loader.construct_scalar(node)


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


class YamlDocument:
    """A parsed YAML document and its node tree, for line look-ups."""

    def __init__(self, text: str) -> None:
        self.node = yaml.compose(text, Loader=_PlanLoader)
        loader = _PlanLoader(text)
        try:
            self.data = loader.get_single_data()
        finally:
            loader.dispose()

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest node on ``path`` that exists."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == step:
                        child = value_node
                        line = key_node.start_mark.line + 1
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(step, int)
                and 0 <= step < len(node.value)
            ):
                child = node.value[step]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line


class _PlanDumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    text = format(value.normalize(), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_date(dumper: yaml.SafeDumper, value: datetime.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_PlanDumper.add_representer(Decimal, _represent_decimal)
_PlanDumper.add_representer(str, _represent_str)
_PlanDumper.add_representer(datetime.date, _represent_date)


def dump_yaml(data: Any) -> str:
    """Plan data as YAML, keys in the given order, Danish letters kept."""
    text: str = yaml.dump(
        data,
        Dumper=_PlanDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return text


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros: 8.2, 10."""
    return format(value.normalize(), "f")


def format_path(path: Sequence[str | int]) -> str:
    """('effort_areas', 1, 'criteria', 0, 'target') ->
    'effort_areas[1].criteria[0].target'."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text
