"""Period arithmetic: 《民法典》第二百零一条至第二百零三条 as this project reads them."""

import datetime as dt

import pytest

from shegong import dates

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    "start, months, expected, rule",
    [
        ("2024-09-10", 12, "2025-09-10", "第二百零二条:到期月的对应日"),
        ("2024-02-29", 12, "2025-02-28", "第二百零二条:没有对应日的,月末日"),
        ("2024-02-29", 48, "2028-02-29", "闰年对应日存在"),
        ("2022-05-31", 36, "2025-05-31", "3年有效期"),
        ("2025-05-31", -3, "2025-02-28", "向前数3个月,同样以月末日为准"),
        ("2024-05-31", -3, "2024-02-29", "闰年2月月末"),
        ("2025-12-20", 2, "2026-02-20", "跨年"),
        ("2025-11-30", 3, "2026-02-28", "跨年且月末"),
        ("2025-01-15", -1, "2024-12-15", "向前跨年"),
    ],
)
def test_add_months(start, months, expected, rule):
    assert dates.add_months(D(start), months) == D(expected), rule


def test_add_years_is_twelve_months():
    assert dates.add_years(D("2020-02-29"), 5) == D("2025-02-28")


@pytest.mark.parametrize(
    "day, status, moved",
    [
        ("2024-10-01", "extended", "2024-10-08"),  # 国庆节 2024-10-01..07
        ("2025-05-31", "extended", "2025-06-03"),  # 端午节 2025-05-31..06-02
        ("2024-10-19", "extended", "2024-10-21"),  # an ordinary Saturday
        ("2024-10-12", "working_day", None),  # a Saturday made a working day (调休)
        ("2025-09-10", "working_day", None),
        ("2027-09-10", "unknown", None),  # no published calendar yet
        ("2003-12-31", "unknown", None),
    ],
)
def test_holiday_check(day, status, moved):
    check = dates.holiday_check(D(day))
    assert check.status == status
    assert check.extended_to == (D(moved) if moved else None)
    assert check.reason


def test_holiday_reason_names_the_holiday():
    assert "国庆节" in dates.holiday_check(D("2024-10-01")).reason
    assert "休息日" in dates.holiday_check(D("2024-10-19")).reason


def test_known_years_cover_the_published_calendar():
    first, last = dates.known_years()
    assert first == 2004 and last >= 2026


def test_next_workday_stops_where_the_calendar_ends():
    assert dates._next_workday(D("2024-10-01")) == D("2024-10-08")
    assert dates._next_workday(D("2027-01-01")) is None
