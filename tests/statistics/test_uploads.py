"""Uploading statistics on the web: a preview of every outcome, a
confirmation that writes exactly that, a stale preview refused, undo, bad
files, mapping files and the templates."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fremdrift.statistics.models import ImportBatch, Observation, ObservationChange

from .test_views import login

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LONG = FIXTURES / "lbf" / "lbf-long.xlsx"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(plan, view: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"statistics:{view}", kwargs={"slug": plan.slug, **kwargs})


def post_file(client, plan, path: Path, mapping: Path | None = None):  # type: ignore[no-untyped-def]
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if mapping is not None:
        data["mapping_file"] = SimpleUploadedFile(mapping.name, mapping.read_bytes())
    return client.post(url(plan, "import-preview"), data)


def confirm(client, plan, preview):  # type: ignore[no-untyped-def]
    token = preview.context["confirm"].initial["token"]
    return client.post(url(plan, "import-confirm"), {"token": token})


def stored(plan) -> dict[tuple[str, str, str], Decimal | None]:  # type: ignore[no-untyped-def]
    return {
        (o.indicator.slug, o.population.slug, o.period): o.value
        for o in Observation.objects.filter(indicator__plan=plan).select_related(
            "indicator", "population"
        )
    }


def test_the_preview_of_a_landsbyggefond_table_shows_each_outcome(plan, media):
    client = login("coordinator", plan)
    before = stored(plan)
    preview = post_file(client, plan, LONG)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.created, result.changed, result.unchanged) == (13, 5, 0)
    rows = {(r.indicator, r.population, r.period): r for r in result.outcomes}
    assert len(rows) == 18
    changed = rows[("employment", "nord", "2022")]
    assert changed.status == "changed"
    assert (changed.old_text, changed.new_text) == ("40,5", "46,3")
    assert changed.line == 5
    new = rows[("charged-per-1000", "syd", "2021")]
    assert (new.status, new.old_text, new.new_text) == (
        "new",
        "–",
        "– (skjult af diskretionshensyn)",
    )
    text = preview.content.decode()
    assert "Genkendt som: Landsbyggefonden (lbf-long)" in text
    assert "Kolonne D" in text
    assert "40,5" in text and "46,3" in text
    assert stored(plan) == before  # nothing written yet
    assert ImportBatch.objects.count() == 0


def test_confirming_writes_exactly_what_the_preview_showed_and_undo_restores(
    plan, media
):
    client = login("coordinator", plan)
    before = stored(plan)
    preview = post_file(client, plan, LONG)
    shown = preview.context["result"]
    done = confirm(client, plan, preview)
    batch = ImportBatch.objects.get()
    assert done.status_code == 302 and done["Location"] == url(
        plan, "import-detail", pk=batch.pk
    )
    assert (batch.created_count, batch.changed_count, batch.unchanged_count) == (
        shown.created,
        shown.changed,
        shown.unchanged,
    )
    after = stored(plan)
    for row in shown.outcomes:
        assert after[(row.indicator, row.population, row.period)] == row.new["value"]
    old = {
        (c.observation.indicator.slug, c.observation.population.slug, c.observation.period): c.old_value
        for c in ObservationChange.objects.filter(batch=batch)
    }  # fmt: skip
    assert old == {
        (r.indicator, r.population, r.period): r.old["value"]
        for r in shown.outcomes
        if r.status == "changed"
    }
    untouched = {k: v for k, v in before.items() if k not in after or after[k] == v}
    assert len(after) == len(before) + shown.created
    assert len(untouched) == len(before) - shown.changed
    history = client.get(url(plan, "import-list")).content.decode()
    assert "lbf-long.xlsx" in history and "indlæst" in history
    undone = client.post(url(plan, "import-undo", pk=batch.pk))
    assert undone.status_code == 302
    assert stored(plan) == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert batch.undone_by_name == "person"


def test_a_stale_preview_is_refused_and_writes_nothing(plan, media):
    client = login("coordinator", plan)
    preview = post_file(client, plan, LONG)
    # Someone changes a number the file would change, after the preview.
    Observation.objects.filter(
        indicator__slug="employment", population__slug="nord", period="2022"
    ).update(value=Decimal("41"))
    before = stored(plan)
    refused = confirm(client, plan, preview)
    assert refused.status_code == 409
    assert (
        "Tallene er ændret, siden du så forhåndsvisningen" in refused.content.decode()
    )
    assert ImportBatch.objects.count() == 0
    assert stored(plan) == before
    # The new preview shows the new old value and can be confirmed.
    rows = {
        (r.indicator, r.population, r.period): r
        for r in refused.context["result"].outcomes
    }
    assert rows[("employment", "nord", "2022")].old_text == "41"
    assert confirm(client, plan, refused).status_code == 302
    assert ImportBatch.objects.count() == 1


def test_a_preview_confirms_once_and_only_in_its_own_session(plan, media):
    client = login("coordinator", plan)
    preview = post_file(client, plan, LONG)
    other = login("coordinator", plan, "anden")
    refused = confirm(other, plan, preview)
    assert refused.status_code == 302 and ImportBatch.objects.count() == 0
    assert confirm(client, plan, preview).status_code == 302
    again = client.post(
        url(plan, "import-confirm"),
        {"token": preview.context["confirm"].initial["token"]},
    )
    assert again.status_code == 302 and again["Location"] == url(plan, "import-list")
    assert ImportBatch.objects.count() == 1


def test_a_bad_file_shows_its_problems_with_line_and_column_and_writes_nothing(
    plan, media, tmp_path
):
    client = login("coordinator", plan)
    bad = tmp_path / "tal.csv"
    bad.write_bytes(
        b"indicator,population,period,value\n"
        b"employment,nord,2023,140\n"
        b"employment,nord,2024,44\n"
        b"employment,nordd,2023,1\n"
    )
    before = stored(plan)
    preview = post_file(client, plan, bad)
    assert preview.status_code == 422
    text = preview.content.decode()
    assert "tal.csv:2: value" in text and "tal.csv:4: population" in text
    assert "Intet er gemt" in text
    assert preview.context["confirm"] is None
    assert stored(plan) == before and ImportBatch.objects.count() == 0


def test_an_uploaded_mapping_decides_the_source(plan, media):
    client = login("coordinator", plan)
    preview = post_file(
        client,
        plan,
        FIXTURES / "statbank" / "FOLK1A-da.bulk.csv",
        FIXTURES / "statbank" / "mapping-FOLK1A.yaml",
    )
    # The mapping was used: its indicator is not one of this plan's.
    assert preview.status_code == 422
    assert "ukendt indikator &#x27;residents&#x27;" in preview.content.decode()


def test_a_mapping_file_of_no_known_format_is_refused_on_its_field(
    plan, media, tmp_path
):
    client = login("coordinator", plan)
    mapping = tmp_path / "m.yaml"
    mapping.write_text("format: noget-andet\n")
    response = post_file(client, plan, LONG, mapping)
    assert response.status_code == 400
    assert "format" in response.context["form"].errors["mapping_file"][0]


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("observationer.xlsx", b"PK"),
        ("mapping-statistikbanken.yaml", b"# Mappingfil"),
        ("mapping-landsbyggefonden.yaml", b"# Mappingfil"),
    ],
)
def test_the_page_offers_the_templates_as_downloads(plan, media, name, start):
    client = login("coordinator", plan)
    link = url(plan, "import-template", name=name)
    assert link in client.get(url(plan, "import-list")).content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert name in response["Content-Disposition"]
    assert client.get(url(plan, "import-template", name="x.yaml")).status_code == 404


def test_staff_cannot_download_the_templates(plan, media):
    client = login("staff", plan)
    link = url(plan, "import-template", name="observationer.xlsx")
    assert client.get(link).status_code == 403
