"""Under injected faults (30 % errors, before or after the change, with latency), every read
eventually succeeds and no resource is created twice."""

from __future__ import annotations

import asyncio

import pytest

from tests.api.support import make_env
from tui.api import ContainersClient, RetryPolicy, errors
from tui.emulator import seed as demo

PATIENT = RetryPolicy(max_retries=15, backoff_base=0.002, backoff_max=0.02)


async def _short_sleep(seconds: float) -> None:
    # Retry-After of the emulator's 429s is 1 s: honoured by the client (see
    # test_error_types), shortened here so the test stays fast.
    await asyncio.sleep(min(seconds, 0.01))


@pytest.mark.parametrize(
    ("kind", "mode"), [("asgi", "before"), ("asgi", "after"), ("loopback", "after")]
)
async def test_reads_succeed_and_nothing_is_created_twice(kind: str, mode: str) -> None:
    env, close = await make_env(kind, retry=PATIENT, sleep=_short_sleep)
    client: ContainersClient = env.client
    try:
        # A 429 is a refusal: in "after" mode the emulator would apply the change and still
        # answer 429 (see notes/emulator-bugs.md), so it is only injected in "before" mode.
        statuses = [500, 502, 503, 504] + ([429] if mode == "before" else [])
        await env.control.faults(
            error_rate=0.3, mode=mode, statuses=statuses, latency_ms=1, jitter_ms=3
        )

        # Reads: every one must come back.
        for _ in range(3):
            namespaces = await client.list_namespaces_all(page_size=1)
            assert len(namespaces) == 2
            containers = await client.list_containers_all(
                namespace_id=demo.DEMO_NAMESPACE_ID, page_size=2
            )
            assert demo.DEMO_READY_CONTAINER_ID in {c.id for c in containers}
            assert (await client.get_container(container_id=demo.DEMO_READY_CONTAINER_ID)).id
            assert (await client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)).id
            assert (await client.list_logs(container_id=demo.DEMO_READY_CONTAINER_ID)).logs
            await client.list_crons(container_id=demo.DEMO_READY_CONTAINER_ID)
            await client.list_domains(container_id=demo.DEMO_READY_CONTAINER_ID)
            await client.get_token(token_id=demo.DEMO_TOKEN_ID)

        # Creates: tokens have no unique name, so a repeated POST would show as a duplicate.
        created_ok: list[str] = []
        maybe: list[str] = []
        for i in range(12):
            label = f"fault-{mode}-{i}"
            try:
                await client.create_token(
                    container_id=demo.DEMO_READY_CONTAINER_ID, description=label
                )
                created_ok.append(label)
            except errors.ServerError as exc:
                # Never repeated after a 5xx; only a 429 (a refusal, "before" mode) came first.
                assert exc.attempts == 1 or mode == "before"
                assert exc.maybe_applied
                maybe.append(label)
            except errors.TooManyRequestsError:  # pragma: no cover - retried up to 15 times
                raise
        names_ok: list[str] = []
        for i in range(6):
            try:
                await client.create_namespace(name=f"fault-ns-{i}")
                names_ok.append(f"fault-ns-{i}")
            except errors.ServerError as exc:
                assert exc.maybe_applied

        # Idempotent mutations are retried; a lost answer is reported as maybe applied.
        # (a 500 on a PATCH is not repeated: only 502/503/504 are.)
        updated = False
        try:
            await client.update_namespace(namespace_id=demo.DEMO_NAMESPACE_ID, description="x")
            updated = True
        except errors.ServerError as exc:
            assert exc.maybe_applied

        stats = client.stats
        assert stats.faults_seen > 0 and stats.retries > 0
        await env.control.clear_faults()

        tokens = await client.list_tokens_all(container_id=demo.DEMO_READY_CONTAINER_ID)
        labels = [t.description for t in tokens if (t.description or "").startswith("fault-")]
        assert len(labels) == len(set(labels)), "a token was created twice"
        assert set(created_ok) <= set(labels)
        if mode == "before":
            assert set(labels) == set(created_ok)  # failed attempts changed nothing
        else:
            assert set(labels) == set(created_ok) | set(maybe)  # lost answers, not repeats
        namespaces = await client.list_namespaces_all()
        fault_names = [n.name for n in namespaces if n.name.startswith("fault-ns-")]
        assert len(fault_names) == len(set(fault_names))
        assert set(names_ok) <= set(fault_names)
        description = (await client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)).description
        assert (description == "x") == (updated or mode == "after")
    finally:
        await close()


async def test_delete_whose_answer_was_lost_returns_the_deleting_resource() -> None:
    env, close = await make_env("asgi", retry=PATIENT)
    try:
        token = await env.client.create_token(container_id=demo.DEMO_READY_CONTAINER_ID)
        # Every answer lost, once: the DELETE is applied, its retry finds the token deleting.
        await env.control.faults(error_rate=1.0, mode="after", statuses=[502])
        task = asyncio.create_task(env.client.delete_token(token_id=token.id))
        while env.client.stats.faults_seen == 0:
            await asyncio.sleep(0.001)
        await env.control.clear_faults()
        deleted = await task
        assert deleted.id == token.id and deleted.status == "deleting"
        assert env.client.stats.retries >= 1
    finally:
        await close()
