import asyncio


async def eventually(check, limit: float = 60.0, every: float = 0.1):
    """Poll until check() returns a truthy value; return it. Not a timing assertion: the limit is generous."""
    for _ in range(int(limit / every)):
        value = await check()
        if value:
            return value
        await asyncio.sleep(every)
    raise AssertionError(f"not reached within {limit}s")


async def import_finished(api, headers, job_id: str) -> dict:
    """The import job once DONE or FAILED (GET /imports/{id} of the kit's tabular mechanism)."""
    async def finished():
        job = (await api.get(f"/imports/{job_id}", headers=headers)).json()
        return job if job["status"] in ("DONE", "FAILED") else None

    return await eventually(finished)
