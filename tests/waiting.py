import asyncio


async def eventually(check, limit: float = 60.0, every: float = 0.1):
    """Poll until check() returns a truthy value; return it. Not a timing assertion: the limit is generous."""
    for _ in range(int(limit / every)):
        value = await check()
        if value:
            return value
        await asyncio.sleep(every)
    raise AssertionError(f"not reached within {limit}s")
