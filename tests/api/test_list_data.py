"""`list_containers_data`: the unparsed answer a poller compares with its previous one."""

from __future__ import annotations

from tests.api.support import Env


async def test_raw_list_parses_like_list_containers_and_is_stable(empty_env: Env) -> None:
    client = empty_env.client
    ns = await client.create_namespace(name="raw")
    for name in ("a", "b", "c"):
        await client.create_container(namespace_id=ns.id, name=name)
    data = await client.list_containers_data(namespace_id=ns.id, page=1, page_size=2)
    again = await client.list_containers_data(namespace_id=ns.id, page=1, page_size=2)
    parsed = client.parse_list_containers(data)
    typed = await client.list_containers(namespace_id=ns.id, page=1, page_size=2)
    assert parsed == typed
    assert parsed.total_count == 3 and len(parsed.containers) == 2
    assert data == again  # nothing changed: equal answers (the poller skips parsing them)
    query = dict(empty_env.recorder.api_requests()[-1].query)
    assert query["namespace_id"] == ns.id and query["page_size"] == "2"
