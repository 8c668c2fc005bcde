"""The whole suite judges dated rules on one fixed day, so that it passes the same way next year."""

from __future__ import annotations

import datetime

import pytest

import lambdalint.engine

#: the day the expectations of the suite were written for
SUITE_DAY = datetime.date(2026, 11, 23)


class _SuiteDate(datetime.date):
    @classmethod
    def today(cls) -> datetime.date:  # type: ignore[override]
        return SUITE_DAY


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lambdalint.engine, "date", _SuiteDate)
