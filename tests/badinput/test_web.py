"""The corpus through the web forms that take a file: the statistics
upload preview, the plan-folder zip upload and the evidence upload. Each
bad file is refused with its one problem on the page (file, line and
column, or the form's field), no server error, and no row of any table
changed (the session's own row aside)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from fremdrift.accounts.models import PlanMembership

from ..accounts.verified import log_in_verified
from ..registrations import personas
from ..registrations.test_views import url
from .cases import Case, lbf_cases, observation_cases, statbank_cases, tidy_cases
from .conftest import changed_tables, database_fingerprint

# Logging in and previewing keep their state in the session; that is not
# the plan's data.
SESSION_TABLES = frozenset({"django_session"})
TIDY_CASES = tidy_cases()
MAPPED_CASES = statbank_cases() + lbf_cases()
OBSERVATION_CASES = observation_cases()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def coordinator(plan) -> Client:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("koordinator", password="x")
    PlanMembership.objects.create(
        user=user, plan=plan, role=PlanMembership.Role.COORDINATOR
    )
    client = Client()
    log_in_verified(client, user)
    return client


def _fingerprint() -> dict[str, str]:
    return database_fingerprint(skip=SESSION_TABLES)


def _problem_items(page: str) -> list[str]:
    """The texts of the problem list's items, tags removed."""
    listed = re.search(r'<ul class="problems">(.*?)</ul>', page, re.DOTALL)
    items = re.findall(r"<li>(.*?)</li>", listed.group(1) if listed else "", re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]


def _preview(client: Client, plan, case: Case, *, mapping: bool):  # type: ignore[no-untyped-def]
    data = {
        name: SimpleUploadedFile(name, content)
        for name, content in case.files.items()
        if name != "mapping.yaml"
    }
    (upload,) = data.values()
    form = {"file": upload}
    if mapping:
        form["mapping_file"] = SimpleUploadedFile(
            "mapping.yaml", case.files["mapping.yaml"]
        )
    return client.post(
        reverse("statistics:import-preview", kwargs={"slug": plan.slug}), form
    )


def _assert_one_listed(response, case: Case) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.status_code
    page = response.content.decode()
    assert "Traceback" not in page
    items = _problem_items(page)
    assert len(items) == 1, items
    assert case.where in items[0], items[0][:300]
    assert len(items[0]) < 1000, items[0][:200]


@pytest.mark.parametrize("case", TIDY_CASES, ids=[c.name for c in TIDY_CASES])
def test_the_statistics_preview_lists_a_bad_tidy_files_one_problem(
    plan, coordinator: Client, case: Case
):
    before = _fingerprint()
    response = _preview(coordinator, plan, case, mapping=False)
    _assert_one_listed(response, case)
    assert changed_tables(before, _fingerprint()) == []


@pytest.mark.parametrize("case", MAPPED_CASES, ids=[c.name for c in MAPPED_CASES])
def test_the_statistics_preview_with_a_mapping_lists_a_bad_files_one_problem(
    plan, coordinator: Client, case: Case
):
    before = _fingerprint()
    response = _preview(coordinator, plan, case, mapping=True)
    _assert_one_listed(response, case)
    assert changed_tables(before, _fingerprint()) == []


def test_a_mapping_file_that_is_not_one_is_refused_on_its_field(
    plan, coordinator: Client
):
    before = _fingerprint()
    response = coordinator.post(
        reverse("statistics:import-preview", kwargs={"slug": plan.slug}),
        {
            "file": SimpleUploadedFile("data.csv", b"A;B\n1;2\n"),
            "mapping_file": SimpleUploadedFile("mapping.yaml", b"- not: a mapping"),
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["mapping_file"]
    assert changed_tables(before, _fingerprint()) == []


# -- the plan folder as a zip --------------------------------------------------


def _folder_zip(folder: Path, slug: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.writestr(f"{slug}/{path.name}", path.read_bytes())
    return buffer.getvalue()


def _place(where: str) -> str:
    """``observations.csv:3: value`` as the folder page shows it."""
    file, _, rest = where.partition(":")
    line, _, field = rest.partition(":")
    shown = file
    if line:
        shown += f", linje {line.strip()}"
    if field.strip():
        shown += f", felt {field.strip()}"
    return shown


@pytest.mark.parametrize(
    "case", OBSERVATION_CASES, ids=[c.name for c in OBSERVATION_CASES]
)
def test_the_plan_folder_upload_lists_a_bad_observations_files_one_problem(
    plan, coordinator: Client, mini_folder: Path, case: Case
):
    case.write(mini_folder)
    before = _fingerprint()
    upload = SimpleUploadedFile(
        f"{plan.slug}.zip",
        _folder_zip(mini_folder, plan.slug),
        content_type="application/zip",
    )
    response = coordinator.post(f"/planer/{plan.slug}/mappe/", {"file": upload})
    if case.name == "cell-of-5-mb":
        # 5 MB of one letter compresses a thousandfold: the zip is refused
        # on its field before it is unpacked.
        assert response.status_code == 400
        assert "fylder for meget udpakket" in response.content.decode()
        assert changed_tables(before, _fingerprint()) == []
        return
    assert response.status_code == 422, response.status_code
    page = response.content.decode()
    assert "Mappen har 1 fejl, så intet er ændret." in page
    listed = re.search(r'<div class="problems".*?<ul>(.*?)</ul>', page, re.DOTALL)
    assert listed is not None
    items = [
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.DOTALL)
    ]
    assert len(items) == 1, items
    assert _place(case.where) in items[0], items[0][:300]
    assert len(items[0]) < 1000
    assert changed_tables(before, _fingerprint()) == []


# -- evidence --------------------------------------------------------------------


def _png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="PNG")
    return out.getvalue()


EVIDENCE_CASES = [
    ("executable-named-pdf", "referat.pdf", b"MZ\x90\x00 an executable", "file"),
    ("zero-bytes", "tom.pdf", b"", "file"),
    ("text-named-jpeg", "billede.jpg", b"just some text, not a photo", "file"),
    ("png-cut-in-half", "billede.png", _png((64, 64))[:60], "file"),
    ("html-named-png", "side.png", b"<html><script>alert(1)</script></html>", "file"),
    ("zip-named-docx", "referat.docx", b"PK\x03\x04" + b"\x00" * 40, "file"),
]


@pytest.mark.parametrize(
    ("name", "file_name", "content", "field"),
    EVIDENCE_CASES,
    ids=[c[0] for c in EVIDENCE_CASES],
)
def test_a_bad_evidence_file_is_refused_next_to_its_field(
    mini, settings, name: str, file_name: str, content: bytes, field: str
):
    personas.keep_running(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    client = Client()
    client.force_login(personas.alice(cafe))
    before = _fingerprint()
    upload = io.BytesIO(content)
    upload.name = file_name
    response = client.post(
        url("evidence", cafe),
        {"file": upload, "description": "Bilag", "consent": "document"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert len(errors[field]) == 1
    assert changed_tables(before, _fingerprint()) == []


def test_an_evidence_description_over_its_length_is_refused_on_its_field(mini):
    personas.keep_running(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    client = Client()
    client.force_login(personas.alice(cafe))
    before = _fingerprint()
    upload = io.BytesIO(_png())
    upload.name = "billede.png"
    response = client.post(
        url("evidence", cafe),
        {"file": upload, "description": "x" * 301, "consent": "public_event"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["description"]
    assert changed_tables(before, _fingerprint()) == []


# -- the problems' language ------------------------------------------------------

DANISH_PROBLEMS = [
    (
        "indicator,population,period,value\nemployment,nord,2024,4\x000\n",
        "indeholder en NUL-byte",
        "contains a NUL byte",
    ),
    (
        'indicator,population,period,value\nemployment,nord,2024,"40\n',
        "der aldrig lukkes",
        "that is never closed",
    ),
    (
        "indicator,population,period,value\nemploymnt,nord,2024,40\n",
        "ukendt indikator 'employmnt' (mente du 'employment'?)",
        "unknown indicator 'employmnt' (did you mean 'employment'?)",
    ),
    (
        "indicator,population,period,value\nemployment,nord,2024,40,41\n",
        "har 5 felter, overskriften har 4",
        "has 5 fields, the header has 4",
    ),
    (
        "indicator,population,period,value\nemployment,nord,2024,\n",
        "er tom: skriv et tal",
        "is empty: give a number",
    ),
]


@pytest.mark.parametrize(("content", "danish", "english"), DANISH_PROBLEMS)
def test_the_preview_shows_the_problem_in_danish_and_in_english_when_chosen(
    plan, coordinator: Client, settings, content: str, danish: str, english: str
):
    def shown() -> list[str]:
        response = coordinator.post(
            reverse("statistics:import-preview", kwargs={"slug": plan.slug}),
            {"file": SimpleUploadedFile("tal.csv", content.encode())},
        )
        assert response.status_code == 422
        return _problem_items(response.content.decode())

    (problem,) = shown()
    assert danish in problem and english not in problem, problem
    coordinator.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (problem,) = shown()
    assert english in problem, problem
