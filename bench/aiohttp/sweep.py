"""The seed's tool, as its script does it: one aiohttp ClientSession, every id gathered at once,
a semaphore bounding what is in flight, each body read. Run by `npm run bench` with Debian's
/usr/bin/python3 and python3-aiohttp; never by `npm test`.

Usage: sweep.py <url-template with {id}> <ids> <concurrency> <warm sweeps> [<ca file>]
Prints one JSON line: the first sweep of the process, then each warm one (wall and CPU ms).
The first sweep's clock starts before the client is built (SSL context, connector, session), as
the engine's cold invoke builds its pool and TLS context inside the timed span; imports are
outside both (bench/FINDINGS.md, item 5).
"""
import asyncio
import json
import ssl
import sys
import time

import aiohttp


async def fetch(session, semaphore, url):
    async with semaphore:
        async with session.get(url) as response:
            await response.read()
            return response.status


def clock():
    return time.perf_counter(), time.process_time()


async def sweep(session, template, ids, concurrency, since=None):
    semaphore = asyncio.Semaphore(concurrency)
    started, cpu = since or clock()
    statuses = await asyncio.gather(
        *(fetch(session, semaphore, template.replace("{id}", str(i))) for i in range(1, ids + 1))
    )
    return {
        "ms": (time.perf_counter() - started) * 1000,
        "cpuMs": (time.process_time() - cpu) * 1000,
        "answered": len(statuses),
    }


async def main():
    template, ids, concurrency, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    since = clock()
    context = ssl.create_default_context(cafile=sys.argv[5]) if len(sys.argv) > 5 else None
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=context if context else True)
    async with aiohttp.ClientSession(connector=connector) as session:
        first = await sweep(session, template, ids, concurrency, since)
        warms = [await sweep(session, template, ids, concurrency) for _ in range(warm)]
    print(json.dumps({"first": first, "warm": warms, "aiohttp": aiohttp.__version__}))


asyncio.run(main())
