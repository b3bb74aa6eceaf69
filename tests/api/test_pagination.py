"""Walking all pages: iterators, *_all, stop rules, request counts."""

from __future__ import annotations

import asyncio

from tests.api.support import Env


async def _namespace_with_containers(env: Env, count: int) -> str:
    ns = await env.client.create_namespace(name="many")
    await asyncio.gather(
        *(env.client.create_container(namespace_id=ns.id, name=f"c{i:03d}") for i in range(count))
    )
    return ns.id


async def test_iter_walks_every_page_in_order(empty_env: Env) -> None:
    client = empty_env.client
    ns_id = await _namespace_with_containers(empty_env, 45)
    before = client.stats.requests
    seen = [
        c.name
        async for c in client.iter_containers(namespace_id=ns_id, page_size=10, order_by="name_asc")
    ]
    assert seen == [f"c{i:03d}" for i in range(45)]
    assert client.stats.requests - before == 5  # the 5th page is short: no 6th request
    pages = [q for q in empty_env.recorder.api_requests()[-5:]]
    assert [dict(r.query)["page"] for r in pages] == ["1", "2", "3", "4", "5"]
    assert all(dict(r.query)["page_size"] == "10" for r in pages)


async def test_all_stops_on_total_count_when_pages_are_full(empty_env: Env) -> None:
    client = empty_env.client
    ns_id = await _namespace_with_containers(empty_env, 40)
    before = client.stats.requests
    every = await client.list_containers_all(namespace_id=ns_id, page_size=10)
    assert len(every) == 40 and len({c.id for c in every}) == 40
    assert client.stats.requests - before == 4  # total_count reached: no empty 5th page


async def test_single_page_and_past_the_end(empty_env: Env) -> None:
    client = empty_env.client
    ns_id = await _namespace_with_containers(empty_env, 3)
    first = await client.list_containers(namespace_id=ns_id, page=1, page_size=2)
    assert len(first.containers) == 2 and first.total_count == 3
    past = await client.list_containers(namespace_id=ns_id, page=9, page_size=2)
    assert past.containers == [] and past.total_count == 3
    # Default page size (100) walks it in one request; starting page honoured.
    assert len(await client.list_containers_all(namespace_id=ns_id)) == 3
    rest = [c async for c in client.iter_containers(namespace_id=ns_id, page=2, page_size=2)]
    assert len(rest) == 1


async def test_iterator_can_stop_early(empty_env: Env) -> None:
    client = empty_env.client
    ns_id = await _namespace_with_containers(empty_env, 12)
    before = client.stats.requests
    got = []
    async for container in client.iter_containers(namespace_id=ns_id, page_size=5):
        got.append(container)
        if len(got) == 3:
            break
    assert len(got) == 3 and client.stats.requests - before == 1


async def test_every_list_has_an_all_variant(env: Env) -> None:
    from tui.emulator import seed as demo

    client = env.client
    assert len(await client.list_namespaces_all(page_size=1)) == 2
    assert (
        len(await client.list_containers_all(namespace_id=demo.DEMO_NAMESPACE_ID, page_size=2))
        == (await client.list_containers(namespace_id=demo.DEMO_NAMESPACE_ID)).total_count
    )
    cid = demo.DEMO_READY_CONTAINER_ID
    assert (
        len(await client.list_domains_all(container_id=cid, page_size=1))
        == (await client.list_domains(container_id=cid)).total_count
    )
    assert (
        len(await client.list_crons_all(container_id=cid, page_size=1))
        == (await client.list_crons(container_id=cid)).total_count
    )
    assert (
        len(await client.list_tokens_all(page_size=1)) == (await client.list_tokens()).total_count
    )
    assert (
        len(await client.list_logs_all(container_id=cid, page_size=50))
        == (await client.list_logs(container_id=cid)).total_count
    )
