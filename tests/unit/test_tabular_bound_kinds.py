"""A kind imported into one target (an olympiad stage's results): its jobs are named "kind:target" and the runner
finds the kind bound to that target; a plain kind name is the kind itself."""
from metodset_kit.tabular import Column, Kind, Outcome
from metodset_kit.tabular.jobs import kind_of


async def _nothing(conn, principal, rows) -> Outcome:
    return Outcome()


def _bind(target: str) -> Kind:
    return Kind("results", f"Результаты {target}", (Column("code", "Код"),), _nothing)


BOUND = Kind("results", "Результаты", (Column("code", "Код"),), _nothing, bind=_bind)
PLAIN = Kind("plain", "Простой", (Column("code", "Код"),), _nothing)


def test_a_job_of_a_bound_kind_runs_with_the_kind_bound_to_its_target():
    kinds = {"results": BOUND, "plain": PLAIN}
    assert kind_of(kinds, "results:stage-7").title == "Результаты stage-7"
    assert kind_of(kinds, "results") is BOUND
    assert kind_of(kinds, "plain") is PLAIN
