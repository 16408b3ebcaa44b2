"""Fixtures of the API tests; the people and rows are in world.py."""

from __future__ import annotations

import pytest

from .world import World, build_world


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(mini, media) -> World:  # type: ignore[no-untyped-def]
    return build_world(mini)
