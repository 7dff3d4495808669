import os
import time
import uuid

from metodset_kit import ids


def test_ids_are_random_version_4_uuids_never_repeated():
    made = [ids.uuid4() for _ in range(5 * 256 + 3)]  # across several blocks
    assert len(set(made)) == len(made)
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in made)
    assert all(isinstance(u, uuid.UUID) for u in made)


def test_a_forked_child_does_not_reuse_the_parents_block():
    ids.uuid4()  # the parent holds a block of ready ids
    parent_next = list(ids._ready)[:1]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports its first id
        os.write(write, ids.uuid4().bytes)
        os._exit(0)
    os.waitpid(pid, 0)
    child_first = uuid.UUID(bytes=os.read(read, 16))
    assert child_first not in parent_next


def test_time_ordered_ids_are_version_7_sort_in_the_order_made_and_carry_the_time():
    before = time.time_ns() // 1_000_000
    made = [ids.uuid7() for _ in range(5 * 256 + 3)]  # across several blocks of random bits
    after = time.time_ns() // 1_000_000
    assert len(set(made)) == len(made)
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in made)
    millis = [u.int >> 80 for u in made]
    assert millis == sorted(millis)
    assert all(before <= u.int >> 80 <= after for u in made)


def test_ids_made_a_millisecond_apart_sort_by_time():
    first = ids.uuid7()
    time.sleep(0.002)
    assert ids.uuid7() > first


def test_a_forked_child_does_not_reuse_the_parents_random_bits():
    ids.uuid7()
    parent_next = list(ids._random)[:1]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, ids.uuid7().bytes)
        os._exit(0)
    os.waitpid(pid, 0)
    child_first = uuid.UUID(bytes=os.read(read, 16))
    assert child_first.int & ((1 << 62) - 1) not in parent_next


def test_ids_made_at_once_are_version_7_distinct_ascending_and_equal_to_parsed_ones():
    before = time.time_ns() // 1_000_000
    made = ids.uuid7s(2000)
    later = ids.uuid7s(3)
    assert len(set(made)) == len(made) and made == sorted(made)
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in made)
    assert all(before <= u.int >> 80 <= time.time_ns() // 1_000_000 for u in made)
    assert min(later) > max(made)  # the next batch reads the clock again
    assert all(uuid.UUID(str(u)) == u and hash(uuid.UUID(str(u))) == hash(u) for u in made[:10])
    assert ids.uuid7s(0) == []
