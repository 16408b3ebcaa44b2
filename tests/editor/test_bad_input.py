"""Bad input in every form of the plan editor gets a Danish message on the
field it concerns, and writes nothing: the form's own checks (Django's, in
Danish) and the plan folder reader's (English, put in Danish by
planfiles.problems_da) alike."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from fremdrift.editor.forms import FORMS
from fremdrift.editor.parts import fingerprint, locate, own_fields
from fremdrift.planfiles.services import plan_to_data
from fremdrift.plans.models import Criterion, Plan

from .conftest import EDITOR
from .test_views import errors_on

pytestmark = pytest.mark.django_db

# English a message must not show: the reader's and pydantic's words, and
# the fallback that quotes them.
ENGLISH = ("Input should", "is required", "unknown ", "Værdien kan ikke gemmes")


def _post_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list):
        return value
    if isinstance(value, datetime.date | Decimal | int | float):
        return str(value)
    return value


def opened(plan: Plan, kind: str, key: str = "") -> dict[str, Any]:
    """What the edit form of a part sends back unchanged: its fields as
    opened, and its fingerprint (and version, for a criterion)."""
    data, _rows = plan_to_data(plan)
    current = locate(data, kind, key).value
    form = FORMS[kind]
    fields = form.initial_of(own_fields(current))
    post: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in form.base_fields or value is None:
            continue
        if name in ("notes", "working_notes", "aliases", "partners", "parts") or (
            name == "housing_organisations" and isinstance(value, list)
        ):
            value = "\n".join(value)
        post[name] = _post_value(value)
    post["fingerprint"] = fingerprint(current)
    if kind == "plan":
        post["other_activities"] = data.get("other_activities", "")
    if kind == "criterion":
        post["opened_version"] = str(
            Criterion.objects.get(plan=plan, ident=key).version
        )
    return post


NEW_PLAN = {
    "slug": "nordby-2026-30",
    "name": "Nordby 2026-30",
    "organisation": "Eksempelby Sekretariat",
    "start": "2026-01-01",
    "end": "2030-12-31",
}
CRITERION = {
    "id": "lc-ny",
    "text": "Nyt kriterium",
    "kind": "at_least",
    "unit": "count",
    "target_number": "3",
    "binding": "values",
}
UNDER_CAFE = "?under=activity:lektiecafe"

# Each: the form's address, what is sent (a new part's fields, or an edited
# part's changes: ``edit`` names the part), the field, and the Danish
# message (a piece of it).
CASES: list[tuple[str, str, dict[str, Any], tuple[str, str] | None, str, str]] = [
    # A new plan.
    (
        "plan: no start",
        "/redigering/ny/",
        {**NEW_PLAN, "start": ""},
        None,
        "start",
        "Dette felt er påkrævet",
    ),
    (
        "plan: a date",
        "/redigering/ny/",
        {**NEW_PLAN, "start": "i morgen"},
        None,
        "start",
        "Indtast en gyldig dato",
    ),
    (
        "plan: ends first",
        "/redigering/ny/",
        {**NEW_PLAN, "end": "2025-01-01"},
        None,
        "end",
        "Planen slutter, før den begynder.",
    ),
    (
        "plan: a slug",
        "/redigering/ny/",
        {**NEW_PLAN, "slug": "Nordby 2026"},
        None,
        "slug",
        "Brug kun små bogstaver",
    ),
    (
        "plan: a taken slug",
        "/redigering/ny/",
        {**NEW_PLAN, "slug": "eksempelby-2022-26"},
        None,
        "slug",
        "Der findes allerede en plan",
    ),
    (
        "plan: a size",
        "/redigering/ny/",
        {**NEW_PLAN, "size_as_of": "2026-01-01", "size_leases": "-4"},
        None,
        "size_leases",
        "større end eller lig 0",
    ),
    (
        "plan: a size's date",
        "/redigering/ny/",
        {**NEW_PLAN, "size_leases": "40"},
        None,
        "size_as_of",
        "Feltet skal udfyldes.",
    ),
    (
        "plan: an organisation",
        "/redigering/ny/",
        {**NEW_PLAN, "organisation": "Andre"},
        None,
        "organisation",
        "Marker en gyldig valgmulighed",
    ),
    # The plan's facts.
    (
        "facts: ends first",
        "fakta/",
        {"end": "2021-01-01"},
        ("plan", ""),
        "end",
        "Planen slutter, før den begynder.",
    ),
    (
        "facts: no name",
        "fakta/",
        {"name": ""},
        ("plan", ""),
        "name",
        "Dette felt er påkrævet",
    ),
    # Areas, populations, indicators.
    (
        "area: a taken slug",
        "omraader/ny/",
        {"slug": "nord", "name": "Nord"},
        None,
        "slug",
        "“nord” er allerede brugt i planen",
    ),
    (
        "area: a slug",
        "omraader/ny/",
        {"slug": "Nord Øst", "name": "Nord"},
        None,
        "slug",
        "Brug kun små bogstaver",
    ),
    (
        "area: a size",
        "omraader/nord/",
        {"size_residents": "mange"},
        ("area", "nord"),
        "size_residents",
        "Indtast et heltal",
    ),
    (
        "population: a part",
        "sammenligning/ny/",
        {"slug": "to", "name": "To", "kind": "other", "parts": "nord\nnej"},
        None,
        "parts",
        "Ukendt område eller sammenligningsgrundlag “nej”",
    ),
    (
        "population: itself",
        "sammenligning/kommunen/",
        {"parts": "kommunen"},
        ("population", "kommunen"),
        "parts",
        "ikke være en del af sig selv",
    ),
    (
        "population: a kind",
        "sammenligning/ny/",
        {"slug": "to", "name": "To", "kind": "by"},
        None,
        "kind",
        "Marker en gyldig valgmulighed",
    ),
    (
        "indicator: a denominator",
        "indikatorer/ny/",
        {
            "slug": "ny",
            "name": "Ny",
            "unit": "percent",
            "better": "higher",
            "denominator_indicator": "employment",
        },
        None,
        "denominator_indicator",
        "skal være en anden indikator, der tæller",
    ),
    (
        "indicator: no unit",
        "indikatorer/ny/",
        {"slug": "ny", "name": "Ny", "better": "higher"},
        None,
        "unit",
        "Dette felt er påkrævet",
    ),
    # Goals, effort areas, activities, decisions.
    (
        "goal: no name",
        "maal/ny/",
        {"slug": "nyt", "name": ""},
        None,
        "name",
        "Dette felt er påkrævet",
    ),
    (
        "goal: a taken slug",
        "maal/ny/",
        {"slug": "employment", "name": "Igen"},
        None,
        "slug",
        "“employment” er allerede brugt",
    ),
    (
        "effort area: a taken slug",
        "indsatsomraader/ny/",
        {"slug": "boern-og-familier", "name": "Igen"},
        None,
        "slug",
        "er allerede brugt",
    ),
    (
        "activity: ends first",
        "aktiviteter/ny/?under=effort_area:boern-og-familier",
        {"slug": "ny", "name": "Ny", "start": "2024-05-01", "end": "2024-01-01"},
        None,
        "end",
        "Aktiviteten slutter, før den begynder.",
    ),
    (
        "activity: an extension",
        "aktiviteter/lektiecafe/",
        {"end": "2024-06-30", "extended_to": "2024-01-01"},
        ("activity", "lektiecafe"),
        "extended_to",
        "En forlængelse skal slutte efter",
    ),
    (
        "activity: a date",
        "aktiviteter/lektiecafe/",
        {"end": "30.2.2024"},
        ("activity", "lektiecafe"),
        "end",
        "Indtast en gyldig dato",
    ),
    (
        "sub-activity: a taken slug",
        f"aktiviteter/ny/{UNDER_CAFE}",
        {"slug": "lektiecafe-sommer", "name": "Igen"},
        None,
        "slug",
        "er allerede brugt",
    ),
    (
        "decision: no text",
        f"beslutninger/ny/{UNDER_CAFE}",
        {"date": "2024-01-01", "text": ""},
        None,
        "text",
        "Dette felt er påkrævet",
    ),
    (
        "decision: a date",
        f"beslutninger/ny/{UNDER_CAFE}",
        {"date": "i går", "text": "Ja"},
        None,
        "date",
        "Indtast en gyldig dato",
    ),
    # Supplementary funding.
    (
        "funding: a total",
        "finansiering/",
        {"total_dkk": "-5"},
        ("funding", ""),
        "total_dkk",
        "større end eller lig 0",
    ),
    (
        "funding project: no name",
        "fundraising/ny/",
        {"name": "", "amount_dkk": "5"},
        None,
        "name",
        "Dette felt er påkrævet",
    ),
    (
        "funding project: an amount",
        "fundraising/ny/",
        {"name": "Lejr", "amount_dkk": "mange"},
        None,
        "amount_dkk",
        "Indtast et tal",
    ),
    # Criteria.
    (
        "criterion: a range",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "kind": "range", "target_min": "6", "target_max": "4"},
        None,
        "target_min",
        "Mindsteværdien er over højesteværdien.",
    ),
    (
        "criterion: half a range",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "kind": "range", "target_min": "6"},
        None,
        "target_min",
        "skal have et mål",
    ),
    (
        "criterion: a number",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "target_number": "mange"},
        None,
        "target_number",
        "Indtast et tal",
    ),
    (
        "criterion: a fraction",
        f"kriterier/ny/{UNDER_CAFE}",
        {
            **CRITERION,
            "kind": "reduce_by",
            "target_relative": "10",
            "baseline_value": "8",
            "baseline_period": "2021",
        },
        None,
        "target_relative",
        "skrives som en brøk",
    ),
    (
        "criterion: tolerances",
        f"kriterier/ny/{UNDER_CAFE}",
        {
            **CRITERION,
            "kind": "hold_baseline",
            "target_tolerance": "1",
            "target_relative_tolerance": "0.1",
            "baseline_value": "8",
            "baseline_period": "2021",
        },
        None,
        "target_tolerance",
        "enten en tolerance eller en relativ tolerance",
    ),
    (
        "criterion: every period",
        f"kriterier/ny/{UNDER_CAFE}",
        {
            **CRITERION,
            "kind": "every_period",
            "target_at_least": "1",
            "target_at_most": "3",
        },
        None,
        "target_at_least",
        "enten et mindste eller et højeste",
    ),
    (
        "criterion: a baseline",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "kind": "below_baseline"},
        None,
        "baseline_value",
        "skal have en baseline",
    ),
    (
        "criterion: a baseline period",
        f"kriterier/ny/{UNDER_CAFE}",
        {
            **CRITERION,
            "kind": "below_baseline",
            "baseline_value": "8",
            "baseline_period": "20x1",
        },
        None,
        "baseline_period",
        "Perioden kan ikke læses",
    ),
    (
        "criterion: a period",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "period": "2024K7"},
        None,
        "period",
        "Perioden kan ikke læses",
    ),
    (
        "criterion: a unit",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "unit": ""},
        None,
        "unit",
        "Vælg en enhed",
    ),
    (
        "criterion: no population",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "binding": "indicator", "indicator": "employment"},
        None,
        "population",
        "Udfyld feltet, når tallene kommer fra en indikator.",
    ),
    (
        "criterion: no measure",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "binding": "measure"},
        None,
        "measure_kind",
        "Vælg en måling",
    ),
    (
        "criterion: a measure on a goal",
        "kriterier/ny/?under=goal:employment",
        {**CRITERION, "binding": "measure", "measure_kind": "contacts"},
        None,
        "measure_kind",
        "Kun en aktivitets succeskriterier",
    ),
    (
        "criterion: an age",
        f"kriterier/ny/{UNDER_CAFE}",
        {
            **CRITERION,
            "binding": "measure",
            "measure_kind": "contacts",
            "measure_age_max": "200",
        },
        None,
        "measure_age_max",
        "mindre end eller lig 120",
    ),
    (
        "criterion: a verdict",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "verdict": "achieved"},
        None,
        "verdict",
        "Kun et kvalitativt kriterium",
    ),
    (
        "criterion: a taken id",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "id": "bf-fravaer"},
        None,
        "id",
        "“bf-fravaer” er allerede brugt",
    ),
    (
        "criterion: no text",
        f"kriterier/ny/{UNDER_CAFE}",
        {**CRITERION, "text": ""},
        None,
        "text",
        "Dette felt er påkrævet",
    ),
    (
        "criterion: an edited range",
        "kriterier/bf-sommer-forloeb/",
        {"target_min": "9"},
        ("criterion", "bf-sommer-forloeb"),
        "target_min",
        "Mindsteværdien er over højesteværdien.",
    ),
    (
        "criterion: values and an indicator",
        "kriterier/bf-lektiecafe-boern/",
        {"binding": "indicator", "indicator": "employment", "population": "nord"},
        ("criterion", "bf-lektiecafe-boern"),
        "binding",
        "enten en indikator eller indberettede værdier",
    ),
]


def _snapshot(plan: Plan) -> Any:
    return plan_to_data(plan), Plan.objects.count()


@pytest.mark.parametrize(
    ("case", "address", "sent", "edit", "field", "message"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_bad_input_gets_a_danish_message_on_its_field_and_writes_nothing(
    coordinator: Client,
    mini: Plan,
    case: str,
    address: str,
    sent: dict[str, Any],
    edit: tuple[str, str] | None,
    field: str,
    message: str,
) -> None:
    url = address if address.startswith("/") else EDITOR + address
    data = {**opened(mini, *edit), **sent} if edit else dict(sent)
    before = _snapshot(mini)

    response = coordinator.post(url, data)

    assert response.status_code == 400, response.content.decode()[:2000]
    html = response.content.decode()
    errors = errors_on(html, field)
    assert any(message in error for error in errors), (errors, html[:3000])
    assert not any(word in error for error in errors for word in ENGLISH), errors
    assert "Intet er gemt" in html
    assert _snapshot(mini) == before


def test_an_unchanged_edit_form_saves(coordinator: Client, mini: Plan) -> None:
    """The edit forms the cases above change are sent as opened here, and
    save: what the cases refuse is their one bad field."""
    for _case, address, _sent, edit, _field, _message in CASES:
        if edit:
            response = coordinator.post(EDITOR + address, opened(mini, *edit))
            assert response.status_code == 302, (address, response.content[:2000])


@pytest.mark.parametrize(
    ("rows", "row", "field", "message"),
    [
        ([{"period": "2024K7", "value": "3"}], 0, "period", "Perioden kan ikke læses"),
        (
            [{"period": "2024", "value": "3"}, {"period": "2024", "value": "4"}],
            1,
            "period",
            "Perioden “2024” er angivet to gange.",
        ),
        ([{"period": "2024"}], 0, "value", "Angiv et tal, eller markér værdien"),
        (
            [{"period": "2024", "value": "3", "flags": "missing"}],
            0,
            "value",
            "har et tal, men er markeret",
        ),
        ([{"period": "2024", "value": "mange"}], 0, "value", "Indtast et tal"),
        ([{"value": "3"}], 0, "period", "Feltet skal udfyldes."),
    ],
)
def test_bad_reported_values_get_a_danish_message_on_their_field(
    coordinator: Client,
    mini: Plan,
    rows: list[dict[str, str]],
    row: int,
    field: str,
    message: str,
) -> None:
    key = "bf-lektiecafe-boern"
    data: dict[str, Any] = {
        "v-TOTAL_FORMS": str(len(rows)),
        "v-INITIAL_FORMS": "0",
        "opened_version": str(Criterion.objects.get(ident=key).version),
    }
    for i, values in enumerate(rows):
        data.update({f"v-{i}-{name}": value for name, value in values.items()})
    before = _snapshot(mini)

    response = coordinator.post(f"{EDITOR}kriterier/{key}/vaerdier/", data)

    assert response.status_code == 400
    errors = errors_on(response.content.decode(), f"v-{row}-{field}")
    assert any(message in error for error in errors), errors
    assert not any(word in error for error in errors for word in ENGLISH), errors
    assert _snapshot(mini) == before
