"""Shared fixtures: the seed corpus and a one-time build of it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.gold.json"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, seed_paths: list[Path]):
    """The seeds built once per session through the library entry point."""
    from kg.build import BuildOptions, build

    out = tmp_path_factory.mktemp("seed-build")
    report = build([SEEDS], BuildOptions(out_dir=out))
    return out, report
