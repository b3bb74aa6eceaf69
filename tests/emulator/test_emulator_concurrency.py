"""200 concurrent requests from 20 clients over loopback: consistent, JSON, no 500."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from tui.emulator.testing import TEST_SECRET_KEY, control_sync

API = "/containers/v1beta1/regions/fr-par"
CLIENTS = 20


async def test_two_hundred_concurrent_requests(emulator_server_factory: Any) -> None:
    server = emulator_server_factory(seed="empty", speed=1.0)
    headers = {"X-Auth-Token": TEST_SECRET_KEY}
    async with httpx.AsyncClient(base_url=server.url, headers=headers) as setup:
        ns = (await setup.post(f"{API}/namespaces", json={"name": "load"})).json()["id"]
        control_sync(server.url, "POST", f"status/{ns}", {"status": "ready"})
        settled = []
        for i in range(CLIENTS * 2):
            body = {"namespace_id": ns, "name": f"settled-{i}"}
            cid = (await setup.post(f"{API}/containers", json=body)).json()["id"]
            control_sync(server.url, "POST", f"status/{cid}", {"status": "ready"})
            settled.append(cid)

    async def client_work(index: int) -> list[tuple[str, Any, httpx.Response]]:
        mine = settled[index * 2 : index * 2 + 2]
        async with httpx.AsyncClient(base_url=server.url, headers=headers, timeout=30) as c:
            calls: list[tuple[str, Any, Any]] = []
            for k in range(4):
                name = f"new-{index}-{k}"
                calls.append(
                    (
                        "create",
                        name,
                        c.post(f"{API}/containers", json={"namespace_id": ns, "name": name}),
                    )
                )
            calls.append(("read", None, c.get(f"{API}/containers", params={"namespace_id": ns})))
            calls.append(("read", None, c.get(f"{API}/containers/{mine[0]}")))
            calls.append(("read", None, c.get(f"{API}/namespaces")))
            for k, cid in enumerate([mine[0], mine[0], mine[1]]):
                description = f"client-{index}-{k}"
                calls.append(
                    (
                        "update",
                        (cid, description),
                        c.patch(f"{API}/containers/{cid}", json={"description": description}),
                    )
                )
            answers = await asyncio.gather(*(coro for _, _, coro in calls))
            return [
                (kind, data, answer) for (kind, data, _), answer in zip(calls, answers, strict=True)
            ]

    results = [
        r for batch in await asyncio.gather(*map(client_work, range(CLIENTS))) for r in batch
    ]
    assert len(results) == 200
    assert all(r.headers["content-type"] == "application/json" for _, _, r in results)
    assert not [r for _, _, r in results if r.status_code >= 500]

    created = [data for kind, data, r in results if kind == "create"]
    assert all(r.status_code == 200 for kind, _, r in results if kind in ("create", "read"))

    applied: dict[str, str] = {}
    refused = 0
    for kind, data, response in results:
        if kind != "update":
            continue
        cid, description = data
        if response.status_code == 200:
            assert response.json()["description"] == description
            assert response.json()["status"] == "pending"
            applied.setdefault(cid, description)
            assert applied[cid] == description, "two updates of one container both applied"
        else:
            assert response.status_code == 409
            body = response.json()
            assert body["type"] == "transient_state" and body["resource_id"] == cid
            refused += 1
    # Each container was updated (at least and at most) once: the second update met "pending".
    assert len(applied) == CLIENTS * 2
    assert refused == CLIENTS

    async with httpx.AsyncClient(base_url=server.url, headers=headers) as check:
        everything = []
        page = 1
        while True:
            got = await check.get(
                f"{API}/containers", params={"namespace_id": ns, "page": page, "page_size": 100}
            )
            items = got.json()["containers"]
            if not items:
                break
            everything += items
            page += 1
        assert got.json()["total_count"] == len(everything) == CLIENTS * 2 + len(created)
        names = Counter(c["name"] for c in everything)
        assert all(names[name] == 1 for name in created)
        by_id = {c["id"]: c for c in everything}
        for cid, description in applied.items():
            assert by_id[cid]["description"] == description
