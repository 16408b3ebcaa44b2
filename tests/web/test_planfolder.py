"""The plan folder page: the download is exactly what `fremdrift dump`
writes, an uploaded zip is previewed and then applied as previewed, and
stale previews, bad folders and malicious zips write nothing."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fremdrift.accounts.models import PlanMembership
from fremdrift.planfiles.preview import plan_snapshot, snapshot_diff
from fremdrift.planfiles.services import plan_dump
from fremdrift.plans.models import Activity, Criterion, Decision, Plan

from ..accounts.verified import log_in_verified
from ..plans.test_preview import modify

pytestmark = pytest.mark.django_db

SLUG = "eksempelby-2022-26"
FOLDER = f"/planer/{SLUG}/mappe/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _member(plan: Plan, role: str) -> Client:
    user = User.objects.create_user(role, password="x")
    PlanMembership.objects.create(user=user, plan=plan, role=role)
    client = Client()
    log_in_verified(client, user)
    return client


@pytest.fixture
def coordinator(mini) -> Client:  # type: ignore[no-untyped-def]
    return _member(mini, PlanMembership.Role.COORDINATOR)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _folder_zip(folder: Path, prefix: str = f"{SLUG}/") -> bytes:
    return _zip({f"{prefix}{p.name}": p.read_bytes() for p in sorted(folder.iterdir())})


def _upload(client: Client, data: bytes, name: str = f"{SLUG}.zip"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, data, content_type="application/zip")
    return client.post(FOLDER, {"file": upload})


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([0-9a-f]{{64}})"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


def test_the_download_is_the_dumped_folder_byte_for_byte(
    coordinator: Client, mini, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    response = coordinator.get(f"{FOLDER}hent/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{SLUG}.zip"'
    dumped = plan_dump(plan=mini, folder=tmp_path / "dump")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{SLUG}/{p.name}" for p in dumped)
        for path in dumped:
            assert archive.read(f"{SLUG}/{path.name}") == path.read_bytes()


def test_the_plan_page_offers_the_folder_to_the_team_that_edits_it(
    coordinator: Client, mini
) -> None:  # type: ignore[no-untyped-def]
    board = _member(mini, PlanMembership.Role.BOARD)

    assert "Hent planen som mappe" in coordinator.get(f"/planer/{SLUG}/").text
    assert "Hent planen som mappe" not in board.get(f"/planer/{SLUG}/").text
    assert board.get(f"{FOLDER}hent/").status_code == 403
    assert _member(mini, PlanMembership.Role.STAFF).get(FOLDER).status_code == 403


def test_an_uploaded_folder_is_previewed_and_nothing_is_written(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)
    modify(mini_folder)

    response = _upload(coordinator, _folder_zip(mini_folder))

    assert response.status_code == 200
    page = response.text
    assert "1 oprettes" in page and "2 ændres" in page and "1 slettes" in page
    assert "<code>familieklub</code> Familieklub" in page
    assert "<code>target</code>: <del>" in page
    assert re.search(r"</span>100</del> → <ins><span[^>]*>[^<]*</span>90</ins>", page)
    assert "<code>lektiecafe #1</code>" in page
    assert "Anvend ændringerne" in page
    assert plan_snapshot(slug=SLUG) == before


def test_applying_the_preview_changes_what_it_showed(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)
    modify(mini_folder)
    page = _upload(coordinator, _folder_zip(mini_folder)).text

    response = coordinator.post(
        f"{FOLDER}anvend/",
        {
            "sha256": _hidden(page, "sha256"),
            "fingerprint": _hidden(page, "fingerprint"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == FOLDER
    changes = snapshot_diff(before, plan_snapshot(slug=SLUG))
    assert {(c.kind, c.key, c.action) for c in changes} == {
        ("activities", "familieklub", "created"),
        ("criteria", "bf-lektiecafe-boern", "updated"),
        ("decisions", "lektiecafe #1", "removed"),
        ("observations", "employment nord 2023", "updated"),
    }
    assert Criterion.objects.get(ident="bf-lektiecafe-boern").target == {"number": "90"}
    assert "Ændringerne er anvendt på planen." in coordinator.get(FOLDER).text


def test_a_stale_preview_is_refused_with_409_and_nothing_is_written(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    modify(mini_folder)
    page = _upload(coordinator, _folder_zip(mini_folder)).text
    Activity.objects.filter(slug="lektiecafe").update(name="Ændret imens")
    before = plan_snapshot(slug=SLUG)

    response = coordinator.post(
        f"{FOLDER}anvend/",
        {
            "sha256": _hidden(page, "sha256"),
            "fingerprint": _hidden(page, "fingerprint"),
        },
    )

    assert response.status_code == 409
    assert "Planen er ændret, efter forhåndsvisningen blev lavet" in response.text
    assert plan_snapshot(slug=SLUG) == before
    assert Decision.objects.filter(activity__slug="lektiecafe").exists()


def test_an_upload_that_is_gone_is_not_applied(coordinator: Client, mini) -> None:  # type: ignore[no-untyped-def]
    response = coordinator.post(
        f"{FOLDER}anvend/", {"sha256": "0" * 64, "fingerprint": "0" * 64}
    )

    assert response.status_code == 410
    assert "findes ikke længere på serveren" in response.text


def test_errors_in_the_folder_are_listed_with_file_line_and_field(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace("target: 100", "target: lots"), "utf-8")
    before = plan_snapshot(slug=SLUG)

    response = _upload(coordinator, _folder_zip(mini_folder))

    assert response.status_code == 422
    assert "Mappen har 1 fejl, så intet er ændret." in response.text
    assert re.search(
        r"<strong>plan.yaml</strong>, linje 68, felt <code>[^<]*target[^<]*</code>",
        response.text,
    )
    # The reader's English message ("Input should be a valid decimal"), in
    # Danish.
    assert "</code>: Skriv et tal.</li>" in response.text
    assert "Input should" not in response.text
    assert plan_snapshot(slug=SLUG) == before


def test_a_folder_for_another_plan_is_refused_on_the_field(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace(f"slug: {SLUG}", "slug: en-anden-plan"), "utf-8")

    response = _upload(coordinator, _folder_zip(mini_folder))

    assert response.status_code == 400
    assert "Mappen hører til planen “en-anden-plan”" in response.text
    assert not Plan.objects.filter(slug="en-anden-plan").exists()


def _symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(f"{SLUG}/plan.yaml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def _bomb() -> bytes:
    # 60 MB of zeros compress to some 60 kB.
    return _zip(
        {"plan.yaml": b"format: fremdrift-plan/1\n", "x.bin": bytes(60_000_000)}
    )


def _ratio_bomb() -> bytes:
    return _zip({"plan.yaml": b"#" + bytes(20_000_000)})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_zip({"../plan.yaml": b"x"}), "som peger uden for mappen"),
        (_zip({"/etc/plan.yaml": b"x"}), "som peger uden for mappen"),
        (_zip({"C:/plan.yaml": b"x"}), "som peger uden for mappen"),
        (_symlink_zip(), "genvej"),
        (_bomb(), "fylder for meget udpakket"),
        (_ratio_bomb(), "fylder for meget udpakket"),
        (_zip({f"f{i}.txt": b"" for i in range(101)}), "mere end 100 filer"),
        (_zip({"README.md": b"hej"}), "ingen plan.yaml"),
        (b"PK\x03\x04 not really a zip", "ikke en gyldig zip-fil"),
    ],
    ids=[
        "dot-dot", "absolute", "drive", "symlink", "bomb", "ratio", "many",
        "no-plan", "not-zip",
    ],
)  # fmt: skip
def test_malicious_and_broken_zips_are_refused_on_the_field(
    coordinator: Client, mini, data: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)

    response = _upload(coordinator, data)

    assert response.status_code == 400
    assert re.search(
        rf'<strong class="error" role="alert">[^<]*{message}', response.text
    )
    assert plan_snapshot(slug=SLUG) == before


def test_an_empty_form_is_refused_on_the_field(coordinator: Client, mini) -> None:  # type: ignore[no-untyped-def]
    response = coordinator.post(FOLDER, {})

    assert response.status_code == 400
    assert "Vælg en zip-fil." in response.text


def test_a_file_that_is_not_a_zip_by_name_is_refused(coordinator: Client, mini) -> None:  # type: ignore[no-untyped-def]
    response = _upload(coordinator, b"format: x", name="plan.yaml")

    assert response.status_code == 400
    assert "Filen skal være en zip-fil (.zip)." in response.text


def test_a_zip_with_the_files_at_the_top_is_accepted(
    coordinator: Client, mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    response = _upload(coordinator, _folder_zip(mini_folder, prefix=""))

    assert response.status_code == 200
    assert "Mappen er magen til planen" in response.text
