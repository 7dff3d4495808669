"""Reading organisations as of a date: the instant a day means, the days refused, cursors kept to their date."""
from datetime import date, datetime, timedelta

import pytest

from metodset_kit.pagination import BadCursor, decode_cursor, encode_cursor
from metodset_registry.domain.history import AsOfError, check_as_of, end_of_day
from metodset_registry.organisations.repository import ORGANISATION_ORDER, organisation_order


def test_the_end_of_a_day_is_the_next_local_midnight():
    end = end_of_day(date(2025, 9, 1))
    assert end.tzinfo is not None
    assert end.astimezone().replace(tzinfo=None) == datetime(2025, 9, 2)
    assert end_of_day(date(2025, 12, 31)).date() == date(2026, 1, 1)


def test_a_day_after_today_is_refused_and_today_is_taken():
    today = date(2026, 3, 10)
    check_as_of(today, today)
    check_as_of(date(1990, 1, 1), today)
    with pytest.raises(AsOfError, match="2026-03-11"):
        check_as_of(today + timedelta(days=1), today)


def test_a_cursor_is_read_only_with_the_date_it_was_made_for():
    day = date(2025, 9, 1)
    cursor = encode_cursor(organisation_order(day), ("29701000", "МБОУ", "7c9e6679-7425-40de-944b-e07fc1f90ae7"))
    assert decode_cursor(organisation_order(day), cursor)[0] == "29701000"
    for other in (organisation_order(date(2025, 9, 2)), organisation_order(None)):
        with pytest.raises(BadCursor):
            decode_cursor(other, cursor)
    assert organisation_order(None) is ORGANISATION_ORDER
    now_cursor = encode_cursor(ORGANISATION_ORDER, ("29701000", "МБОУ", "7c9e6679-7425-40de-944b-e07fc1f90ae7"))
    with pytest.raises(BadCursor):
        decode_cursor(organisation_order(day), now_cursor)
