"""The criterion form: every kind with its own target fields (re-rendered
by htmx when the kind changes, or by a button without JavaScript), the
baseline, the binding, reported values per period, and the reader's
checks on the field they concern."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from fremdrift.core.model import CriterionKind
from fremdrift.editor import services
from fremdrift.editor.forms import target_keys
from fremdrift.plans.models import Criterion, Plan

from .conftest import EDITOR, hidden
from .test_views import errors_on

pytestmark = pytest.mark.django_db

NEW = f"{EDITOR}kriterier/ny/?under=activity:lektiecafe"


def _post(**fields: Any) -> dict[str, Any]:
    data = {"id": "lc-ny", "text": "Nyt kriterium", "binding": "values"}
    data.update(fields)
    return data


BASELINE = {"baseline_value": "40", "baseline_period": "2021"}
# kind -> the form's fields and the target that is stored.
GOOD = [
    ("at_least", {"unit": "count", "target_number": "30"}, {"number": "30"}),
    ("at_most", {"unit": "count", "target_number": "5"}, {"number": "5"}),
    (
        "range",
        {"unit": "count", "target_min": "4", "target_max": "6"},
        {"min": "4", "max": "6"},
    ),
    ("share_at_least", {"unit": "percent", "target_number": "75"}, {"number": "75"}),
    (
        "reduce_by",
        {"unit": "percent", "target_relative": "0,1", **BASELINE},
        {"relative": "0.1"},
    ),
    (
        "increase_by",
        {"unit": "count", "target_absolute": "5", **BASELINE},
        {"absolute": "5"},
    ),
    (
        "reduce_to",
        {"unit": "count", "target_number": "20", **BASELINE},
        {"number": "20"},
    ),
    (
        "increase_to",
        {"unit": "count", "target_number": "60", **BASELINE},
        {"number": "60"},
    ),
    ("below_baseline", {"unit": "count", **BASELINE}, {}),
    ("above_baseline", {"unit": "count", **BASELINE}, {}),
    (
        "hold_baseline",
        {"unit": "percent", "target_relative_tolerance": "0.05", **BASELINE},
        {"relative_tolerance": "0.05"},
    ),
    ("every_period", {"unit": "count", "target_at_least": "3"}, {"at_least": "3"}),
    ("qualitative", {"verdict": "achieved", "evidence": "Fokusgruppe"}, {}),
]


def test_every_kind_is_covered_by_the_good_cases() -> None:
    assert {kind for kind, _f, _t in GOOD} == {k.value for k in CriterionKind}


@pytest.mark.parametrize(("kind", "fields", "target"), GOOD)
def test_a_criterion_of_each_kind_is_saved_with_its_target(
    coordinator: Client, mini: Plan, kind: str, fields: dict[str, str], target: Any
) -> None:
    response = coordinator.post(NEW, _post(kind=kind, **fields))

    assert response.status_code == 302, response.content.decode()[:2000]
    criterion = Criterion.objects.get(plan=mini, ident="lc-ny")
    assert criterion.kind == kind
    assert criterion.activity.slug == "lektiecafe"
    assert criterion.target == target


def test_the_fields_of_another_kind_are_not_saved(
    coordinator: Client, mini: Plan
) -> None:
    response = coordinator.post(
        NEW, _post(kind="at_least", unit="count", target_number="3", target_max="9")
    )

    assert response.status_code == 302
    assert Criterion.objects.get(ident="lc-ny").target == {"number": "3"}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"kind": "range", "unit": "count", "target_min": "9", "target_max": "3"},
            "target_min",
            "Mindsteværdien er over højesteværdien.",
        ),
        (
            {
                "kind": "increase_by",
                "unit": "count",
                "target_relative": "0.1",
                "target_absolute": "4",
                **BASELINE,
            },
            "target_relative",
            "Angiv enten en relativ eller en absolut stigning, ikke begge.",
        ),
        (
            {"kind": "increase_by", "unit": "count", "target_absolute": "4"},
            "baseline_value",
            "Denne type kriterium skal have en baseline: en værdi og en periode, "
            "eller en periode med indikatorens tal.",
        ),
        (
            {"kind": "at_least", "unit": "count"},
            "target_number",
            "Denne type kriterium skal have et mål.",
        ),
        (
            {"kind": "at_least", "target_number": "3"},
            "unit",
            "Vælg en enhed, når kriteriet hverken har en indikator eller en måling.",
        ),
        (
            {
                "kind": "at_least",
                "unit": "count",
                "target_number": "3",
                "period": "2023Q9",
            },
            "period",
            "Perioden kan ikke læses. Skriv fx 2024, 2023/24, 2024K3 (kvartal) "
            "eller 2024T2 (tertial).",
        ),
        (
            {"kind": "at_least", "target_number": "3", "verdict": "achieved"},
            "verdict",
            "Kun et kvalitativt kriterium har en vurdering, som teamet angiver; de "
            "andre vurderer fremdrift selv.",
        ),
        (
            {
                "kind": "at_least",
                "target_number": "3",
                "binding": "indicator",
                "indicator": "employment",
                "population": "nord",
                "id": "bf-lektiecafe-boern",
            },
            "id",
            "“bf-lektiecafe-boern” er allerede brugt i planen. Vælg et andet.",
        ),
        (
            {
                "kind": "at_least",
                "target_number": "3",
                "binding": "measure",
                "measure_kind": "unique_participants",
                "measure_age_min": "12",
                "measure_age_max": "6",
            },
            "measure_kind",
            "Mindstealderen er over højestealderen.",
        ),
    ],
)
def test_a_criterion_the_reader_refuses_gets_the_danish_message_on_its_field(
    coordinator: Client, mini: Plan, fields: dict[str, str], field: str, message: str
) -> None:
    before = Criterion.objects.filter(plan=mini).count()

    response = coordinator.post(NEW, _post(**fields))

    assert response.status_code == 400
    assert message in errors_on(response.content.decode(), field)
    assert Criterion.objects.filter(plan=mini).count() == before


def test_a_measure_on_a_goal_criterion_is_refused(coordinator: Client) -> None:
    response = coordinator.post(
        f"{EDITOR}kriterier/ny/?under=goal:employment",
        _post(
            kind="at_least",
            target_number="3",
            binding="measure",
            measure_kind="unique_participants",
        ),
    )

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "measure_kind") == [
        "Kun en aktivitets succeskriterier kan måles på registreringerne."
    ]


def test_a_criterion_bound_to_an_indicator_and_a_measure(
    coordinator: Client, mini: Plan
) -> None:
    bound = coordinator.post(
        f"{EDITOR}kriterier/ny/?under=goal:employment",
        _post(
            id="goal-nord-min",
            kind="at_least",
            target_number="50",
            binding="indicator",
            indicator="employment",
            population="nord",
        ),
    )
    measured = coordinator.post(
        NEW,
        _post(
            kind="at_least",
            target_number="10",
            binding="measure",
            measure_kind="unique_participants",
            measure_role="child",
            measure_age_min="6",
            measure_age_max="12",
            measure_area="nord",
        ),
    )

    assert bound.status_code == 302 and measured.status_code == 302
    goal_criterion = Criterion.objects.get(ident="goal-nord-min")
    assert goal_criterion.indicator.slug == "employment"
    assert goal_criterion.population.slug == "nord"
    assert Criterion.objects.get(ident="lc-ny").measure == {
        "kind": "unique_participants",
        "role": "child",
        "age_min": 6,
        "age_max": 12,
        "area": "nord",
    }


@pytest.mark.parametrize("kind", [k.value for k in CriterionKind])
def test_changing_the_kind_renders_that_kinds_target_fields_with_htmx(
    coordinator: Client, kind: str
) -> None:
    response = coordinator.get(
        f"{EDITOR}maalfelter/", {"kind": kind, "target_number": "7"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert not html.lstrip().startswith("<!DOCTYPE")
    names = re.findall(r'name="(target_\w+)"', html)
    assert names == [f"target_{key}" for key in target_keys(kind)]
    if "number" in target_keys(kind):
        assert 'value="7"' in html


def test_without_javascript_the_button_shows_the_kinds_fields_and_saves_nothing(
    coordinator: Client, mini: Plan
) -> None:
    response = coordinator.post(NEW, _post(kind="range", _kind="1"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="target_min"' in html and 'name="target_max"' in html
    assert 'name="target_number"' not in html
    assert "<noscript>" in html and 'hx-get="/redigering/' in html
    assert not Criterion.objects.filter(ident="lc-ny").exists()


def test_a_criterion_edited_since_its_form_was_opened_is_refused_with_409(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}kriterier/bf-lektiecafe-boern/"
    page = coordinator.get(url).content.decode()
    version = hidden(page, "opened_version")
    services.criterion_save(
        plan=mini,
        key="bf-lektiecafe-boern",
        values={
            "id": "bf-lektiecafe-boern",
            "text": "Den andens tekst",
            "kind": "at_least",
            "unit": "count",
            "target": 120,
        },
        version=int(version),
    )

    response = coordinator.post(
        url,
        _post(
            id="bf-lektiecafe-boern",
            kind="at_least",
            unit="count",
            target_number="90",
            opened_version=version,
        ),
    )

    assert response.status_code == 409
    assert "En anden har gemt en ændring" in response.content.decode()
    criterion = Criterion.objects.get(ident="bf-lektiecafe-boern")
    assert criterion.target == {"number": "120"}
    assert criterion.text == "Den andens tekst"


def test_a_target_change_goes_through_criterion_save(
    coordinator: Client, mini: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    original = services.criterion_save

    def spy(**kwargs: Any) -> str:
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "criterion_save", spy)
    url = f"{EDITOR}kriterier/bf-lektiecafe-boern/"
    page = coordinator.get(url).content.decode()

    response = coordinator.post(
        url,
        _post(
            id="bf-lektiecafe-boern",
            text="Mindst 90 børn",
            kind="at_least",
            unit="count",
            target_number="90",
            opened_version=hidden(page, "opened_version"),
        ),
    )

    assert response.status_code == 302
    assert [c["values"]["target"] for c in calls] == [90]
    criterion = Criterion.objects.get(ident="bf-lektiecafe-boern")
    assert criterion.target == {"number": "90"}
    # Its reported values were kept.
    assert criterion.reported_values.exists()


# -- reported values ------------------------------------------------------------


def _values_post(page: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        "v-TOTAL_FORMS": str(len(rows)),
        "v-INITIAL_FORMS": "0",
        "opened_version": hidden(page, "opened_version"),
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"v-{i}-{name}"] = value
    return data


def test_reported_values_are_entered_per_period(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}kriterier/bf-lektiecafe-boern/vaerdier/"
    page = coordinator.get(url).content.decode()

    response = coordinator.post(
        url,
        _values_post(
            page,
            [
                {"period": "2023", "value": "80", "source": "Optælling"},
                {"period": "2024", "value": "", "flags": "missing"},
                {"period": "", "value": ""},
            ],
        ),
    )

    assert response.status_code == 302
    values = Criterion.objects.get(ident="bf-lektiecafe-boern").reported_values
    assert list(values.order_by("period_end").values_list("period", "value")) == [
        ("2023", 80),
        ("2024", None),
    ]


@pytest.mark.parametrize(
    ("rows", "row", "field", "message"),
    [
        (
            [{"period": "2023x", "value": "1"}],
            0,
            "period",
            "Perioden kan ikke læses.",
        ),
        (
            [{"period": "2023", "value": "1"}, {"period": "2023", "value": "2"}],
            1,
            "period",
            "Perioden “2023” er angivet to gange.",
        ),
        (
            [{"period": "2023", "value": ""}],
            0,
            "value",
            "Angiv et tal, eller markér værdien som manglende",
        ),
    ],
)
def test_bad_reported_values_get_the_message_on_their_row(
    coordinator: Client,
    mini: Plan,
    rows: list[dict[str, str]],
    row: int,
    field: str,
    message: str,
) -> None:
    url = f"{EDITOR}kriterier/bf-lektiecafe-boern/vaerdier/"
    page = coordinator.get(url).content.decode()
    before = list(
        Criterion.objects.get(ident="bf-lektiecafe-boern").reported_values.values_list(
            "period", "value"
        )
    )

    response = coordinator.post(url, _values_post(page, rows))

    assert response.status_code == 400
    errors = errors_on(response.content.decode(), f"v-{row}-{field}")
    assert any(message in error for error in errors), errors
    after = Criterion.objects.get(ident="bf-lektiecafe-boern").reported_values
    assert list(after.values_list("period", "value")) == before
