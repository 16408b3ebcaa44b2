"""Zip-based input (XLSX workbooks) checked for the unpacked size and the
number of members it declares before it is opened (issue 17): a workbook
of 1 MB that declares 1 GiB is refused with one line by the statistics
import, its web upload's recognition, and the registrations import."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from fremdrift.base.zipguard import ZipTooLarge, zip_check
from fremdrift.registrations.bulk_import import (
    RegistrationImportError,
    registrations_import,
)
from fremdrift.statistics.models import ImportBatch
from fremdrift.statistics.recognition import Unrecognised, layout_recognise
from fremdrift.statistics.services import observations_import

GIB = 1024 * 1024 * 1024


def bomb_workbook(path: Path, *, declared: int = GIB) -> Path:
    """A real workbook of about 1 MB (a picture's worth of random bytes)
    whose first sheet's headers declare ``declared`` bytes unpacked."""
    book = Workbook()
    book.active.append(["indicator", "population", "period", "value"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/media/image1.bin", os.urandom(1024 * 1024))
    data = bytearray(out.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + length] == name:
            struct.pack_into("<I", data, start + 24, declared)
            local = struct.unpack_from("<I", data, start + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        start += 4
    path.write_bytes(bytes(data))
    return path


def test_the_guard_reads_the_declared_sizes(tmp_path: Path) -> None:
    path = bomb_workbook(tmp_path / "bombe.xlsx")
    assert 1024 * 1024 < path.stat().st_size < 2 * 1024 * 1024

    with pytest.raises(ZipTooLarge) as refused:
        zip_check(path)

    assert str(refused.value) == (
        "the zip archive declares 1025 MB unpacked, more than 512 MB; it is not opened"
    )
    zip_check(bomb_workbook(tmp_path / "fin.xlsx", declared=4000))


@pytest.mark.django_db
def test_a_statistics_import_of_a_bomb_is_refused_with_one_line(plan, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = bomb_workbook(tmp_path / "bombe.xlsx")

    result = observations_import(plan=plan, path=path)

    assert [str(problem) for problem in result.problems] == [
        "bombe.xlsx: the zip archive declares 1025 MB unpacked, more than 512 MB; "
        "it is not opened"
    ]
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_the_upload_page_refuses_a_bomb_before_it_is_opened(
    plan, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    path = bomb_workbook(tmp_path / "bombe.xlsx")

    found = layout_recognise(plan=plan, path=path, display_name="bombe.xlsx")

    assert found == Unrecognised(
        "Filen fylder 1025 MB udpakket, mere end 512 MB; den åbnes ikke."
    )


@pytest.mark.django_db
def test_a_registrations_import_of_a_bomb_is_refused_with_one_line(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = bomb_workbook(tmp_path / "registreringer.xlsx")

    with pytest.raises(RegistrationImportError) as refused:
        registrations_import(plan=mini, path=path)

    assert str(refused.value) == (
        f"{path}[]: the zip archive declares 1025 MB unpacked, more than 512 MB; "
        "it is not opened"
    )
