"""The kit's cursor pagination: pure, no database."""
import base64
import json
from uuid import UUID, uuid4

import pytest

from metodset_kit.pagination import (
    BadCursor,
    Ordering,
    Page,
    decode_cursor,
    encode_cursor,
    keyset_after,
    next_cursor,
    order_by,
)

ORDER = Ordering("organisations", (("municipality_oktmo", str), ("name", str), ("id", UUID)))


def _raw(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_the_typed_sort_key_and_is_url_safe():
    key = ("29701000", "МБОУ «СОШ № 1» / + ?", uuid4())
    cursor = encode_cursor(ORDER, key)
    assert decode_cursor(ORDER, cursor) == key
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize("cursor", [
    "", "!!!", "eyJ2Ijo", "A" * 3000, _raw("text"), _raw({"v": 2, "o": "organisations", "k": ["a", "b", str(uuid4())]}),
    _raw({"v": 1, "o": "other", "k": ["a", "b", str(uuid4())]}), _raw({"v": 1, "o": "organisations", "k": ["a"]}),
    _raw({"v": 1, "o": "organisations", "k": ["a", "b", "c"]}),
    _raw({"v": 1, "o": "organisations", "k": ["a", 1, str(uuid4())]}),
    _raw({"v": 1, "o": "organisations", "k": ["a", "\ud800", str(uuid4())]}),
    _raw({"v": 1, "o": "organisations", "k": ["a", "\x00", str(uuid4())]}),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_malformed_or_tampered_cursor_is_refused_naming_after(cursor):
    with pytest.raises(BadCursor) as refused:
        decode_cursor(ORDER, cursor)
    assert refused.value.status_code == 422
    assert refused.value.as_detail()["loc"] == ["query", "after"]
    assert "курсор" in refused.value.message


def test_an_edited_cursor_of_another_ordering_is_refused():
    counts = Ordering("counts", (("n", int), ("id", UUID)))
    assert decode_cursor(counts, encode_cursor(counts, (3, UUID(int=1)))) == (3, UUID(int=1))
    with pytest.raises(BadCursor):
        decode_cursor(ORDER, encode_cursor(counts, (3, UUID(int=1))))
    with pytest.raises(BadCursor):  # JSON true is not an int key
        decode_cursor(counts, _raw({"v": 1, "o": "counts", "k": [True, str(UUID(int=1))]}))


def test_the_keyset_condition_numbers_its_parameters_after_the_query_own():
    assert keyset_after(ORDER, 5) == "(municipality_oktmo, name, id) > ($5, $6, $7)"
    assert keyset_after(Ordering("x", (("id", UUID),)), 1) == "(id) > ($1)"
    assert order_by(ORDER) == "order by municipality_oktmo, name, id"
    with pytest.raises(ValueError):
        keyset_after(ORDER, 0)


def test_only_plain_column_names_and_known_types_make_an_ordering():
    with pytest.raises(ValueError):
        Ordering("x", (("name; drop table t", str), ("id", UUID)))
    with pytest.raises(ValueError):
        Ordering("x", (("at", float),))


def test_the_next_cursor_points_at_the_last_row_only_when_more_rows_exist():
    rows = [{"municipality_oktmo": "1", "name": f"n{i}", "id": UUID(int=i)} for i in range(4)]
    assert next_cursor(ORDER, rows[:3], 3) is None
    assert decode_cursor(ORDER, next_cursor(ORDER, rows, 3)) == ("1", "n2", UUID(int=2))


def test_the_page_speaks_camel_case():
    page = Page[int](items=[1], next_cursor=None, total_count=1)
    assert page.model_dump(by_alias=True) == {"items": [1], "nextCursor": None, "totalCount": 1}
