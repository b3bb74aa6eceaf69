"""The deterministic demo seed: the same ids, names and timestamps every time.

History (creation times, past log lines) is anchored at :data:`DEMO_EPOCH`; what happens from
the seed on (the container pending for a minute, cron firings) follows the emulator clock, so
with a fixed ``clock`` everything is reproducible (screenshots).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.emulator import rules

if TYPE_CHECKING:
    from tui.emulator.state import Emulator

DEMO_EPOCH = datetime(2025, 1, 6, 8, 0, 0, tzinfo=UTC).timestamp()

# --- regions ---------------------------------------------------------------------------------
DEMO_REGION = "fr-par"
DEMO_OTHER_REGION = "nl-ams"

# --- namespaces ------------------------------------------------------------------------------
DEMO_NAMESPACE_ID = "10000000-0000-4000-8000-000000000001"
DEMO_NAMESPACE_NAME = "shop"
DEMO_TOOLS_NAMESPACE_ID = "10000000-0000-4000-8000-000000000002"
DEMO_TOOLS_NAMESPACE_NAME = "internal-tools"
DEMO_AMS_NAMESPACE_ID = "10000000-0000-4000-8000-000000000003"
DEMO_AMS_NAMESPACE_NAME = "analytics"

# --- containers (shop, fr-par unless said) ---------------------------------------------------
DEMO_READY_CONTAINER_ID = "20000000-0000-4000-8000-000000000001"
DEMO_READY_CONTAINER_NAME = "web"
DEMO_PRIVATE_CONTAINER_ID = "20000000-0000-4000-8000-000000000002"
DEMO_PRIVATE_CONTAINER_NAME = "api"
DEMO_ERROR_CONTAINER_ID = "20000000-0000-4000-8000-000000000003"
DEMO_ERROR_CONTAINER_NAME = "worker"
DEMO_ERROR_MESSAGE = (
    "failed to pull image rg.fr-par.scw.cloud/shop/worker:missing: "
    "manifest unknown (image not found in registry)"
)
DEMO_CREATED_CONTAINER_ID = "20000000-0000-4000-8000-000000000004"
DEMO_CREATED_CONTAINER_NAME = "batch"
DEMO_LOCKED_CONTAINER_ID = "20000000-0000-4000-8000-000000000005"
DEMO_LOCKED_CONTAINER_NAME = "legacy"
DEMO_PENDING_CONTAINER_ID = "20000000-0000-4000-8000-000000000006"
DEMO_PENDING_CONTAINER_NAME = "checkout"
DEMO_TOOLS_CONTAINER_ID = "20000000-0000-4000-8000-000000000007"  # internal-tools
DEMO_TOOLS_CONTAINER_NAME = "dashboard"
DEMO_AMS_CONTAINER_ID = "20000000-0000-4000-8000-000000000008"  # analytics, nl-ams
DEMO_AMS_CONTAINER_NAME = "ingest"
DEMO_AMS_REPORTS_CONTAINER_ID = "20000000-0000-4000-8000-000000000009"  # analytics, nl-ams
DEMO_AMS_REPORTS_CONTAINER_NAME = "reports"

# --- crons, domains, tokens ------------------------------------------------------------------
DEMO_CRON_ID = "30000000-0000-4000-8000-000000000001"  # on web
DEMO_CRON_NAME = "warm-cache"
DEMO_HEARTBEAT_CRON_ID = "30000000-0000-4000-8000-000000000002"  # on dashboard, every minute
DEMO_HEARTBEAT_CRON_NAME = "heartbeat"
DEMO_AMS_CRON_ID = "30000000-0000-4000-8000-000000000003"  # on ingest
DEMO_AMS_CRON_NAME = "hourly-rollup"
DEMO_DOMAIN_ID = "40000000-0000-4000-8000-000000000001"  # on web, ready
DEMO_DOMAIN_HOSTNAME = "shop.example.com"
DEMO_ERROR_DOMAIN_ID = "40000000-0000-4000-8000-000000000002"  # on web, error
DEMO_ERROR_DOMAIN_HOSTNAME = "beta.shop.example.invalid"
DEMO_TOKEN_ID = "50000000-0000-4000-8000-000000000001"  # on api (private), never expires
DEMO_TOKEN_SECRET = "demo-token-api-ci-deploy-0123456789abcdef"
DEMO_NAMESPACE_TOKEN_ID = "50000000-0000-4000-8000-000000000002"  # on shop
DEMO_NAMESPACE_TOKEN_SECRET = "demo-token-shop-namespace-0123456789abcdef"

DEMO_NAMESPACE_IDS = (DEMO_NAMESPACE_ID, DEMO_TOOLS_NAMESPACE_ID, DEMO_AMS_NAMESPACE_ID)
DEMO_CONTAINER_IDS = (
    DEMO_READY_CONTAINER_ID,
    DEMO_PRIVATE_CONTAINER_ID,
    DEMO_ERROR_CONTAINER_ID,
    DEMO_CREATED_CONTAINER_ID,
    DEMO_LOCKED_CONTAINER_ID,
    DEMO_PENDING_CONTAINER_ID,
    DEMO_TOOLS_CONTAINER_ID,
    DEMO_AMS_CONTAINER_ID,
    DEMO_AMS_REPORTS_CONTAINER_ID,
)

_HOUR = 3600.0
_PATHS = ("/", "/products", "/cart", "/products/42", "/healthz", "/search?q=mug", "/checkout")


def _history(
    emulator: Emulator,
    container_id: str,
    start: float,
    image: str,
    port: int,
    requests: int,
    outcome: str = "ready",
) -> None:
    """Deterministic past log lines: one deploy, then some traffic."""
    log = emulator.log
    log(container_id, "Container created", start)
    log(container_id, "Deploying container", start + 60)
    log(container_id, f"Pulling image {image}", start + 60)
    if outcome == "error":
        log(
            container_id,
            f"Failed to pull image {image}: not found",
            start + 63,
            "error",
            "core",
            "stderr",
        )
        log(
            container_id,
            "Deployment failed: image not found",
            start + 63,
            "error",
            "core",
            "stderr",
        )
        return
    log(container_id, f"Image {image} pulled", start + 63)
    log(container_id, "Starting container", start + 63)
    log(container_id, f"Listening on port {port}", start + 68, source="user")
    log(container_id, "Container is ready", start + 68)
    for i in range(requests):
        at = start + 120 + i * 97.0
        path = _PATHS[i % len(_PATHS)]
        if i % 17 == 16:
            log(
                container_id,
                f"GET {path} 500 upstream timeout after 30s",
                at,
                "error",
                "user",
                "stderr",
            )
        elif i % 11 == 10:
            log(container_id, f"slow query on {path}: 1.8s", at, "warning", "user")
        else:
            log(container_id, f"GET {path} 200 {5 + (i * 7) % 40}ms", at, source="user")


def seed_demo(emulator: Emulator) -> None:
    now = emulator.now()
    t0 = DEMO_EPOCH
    shop = emulator.new_namespace(
        region=DEMO_REGION,
        name=DEMO_NAMESPACE_NAME,
        at=t0,
        status="ready",
        namespace_id=DEMO_NAMESPACE_ID,
        description="Public web shop",
        environment_variables={"APP_ENV": "production", "LOG_LEVEL": "info"},
    )
    shop["secrets"]["DATABASE_URL"] = emulator.hash_secret(
        "DATABASE_URL", "postgres://shop:demo@db.internal:5432/shop"
    )
    tools = emulator.new_namespace(
        region=DEMO_REGION,
        name=DEMO_TOOLS_NAMESPACE_NAME,
        at=t0 + 300,
        status="ready",
        namespace_id=DEMO_TOOLS_NAMESPACE_ID,
        description="Back-office tools",
    )
    ams = emulator.new_namespace(
        region=DEMO_OTHER_REGION,
        name=DEMO_AMS_NAMESPACE_NAME,
        at=t0 + 600,
        status="ready",
        namespace_id=DEMO_AMS_NAMESPACE_ID,
        environment_variables={"WAREHOUSE": "ams-1"},
    )

    def container(
        ns: dict[str, Any], cid: str, name: str, offset: float, status: str, **options: Any
    ) -> dict[str, Any]:
        return emulator.new_container(
            ns, name, at=t0 + offset, status=status, container_id=cid, **options
        )

    web_image = "rg.fr-par.scw.cloud/shop/web:1.4.2"
    web = container(
        shop,
        DEMO_READY_CONTAINER_ID,
        DEMO_READY_CONTAINER_NAME,
        120,
        "ready",
        registry_image=web_image,
        min_scale=1,
        max_scale=10,
        memory_limit=1024,
        description="Storefront",
        environment_variables={"CACHE_TTL": "300"},
    )
    _history(emulator, web["id"], t0 + 120, web_image, 8080, requests=60)
    api_image = "rg.fr-par.scw.cloud/shop/api:2.0.1"
    api = container(
        shop,
        DEMO_PRIVATE_CONTAINER_ID,
        DEMO_PRIVATE_CONTAINER_NAME,
        180,
        "ready",
        registry_image=api_image,
        privacy="private",
        port=3000,
        timeout="60s",
        max_concurrency=20,
        description="Private REST API",
    )
    api["secrets"]["API_SIGNING_KEY"] = emulator.hash_secret("API_SIGNING_KEY", "demo-signing")
    _history(emulator, api["id"], t0 + 180, api_image, 3000, requests=30)
    worker_image = "rg.fr-par.scw.cloud/shop/worker:missing"
    worker = container(
        shop,
        DEMO_ERROR_CONTAINER_ID,
        DEMO_ERROR_CONTAINER_NAME,
        240,
        "error",
        registry_image=worker_image,
        memory_limit=512,
        error_message=DEMO_ERROR_MESSAGE,
    )
    _history(emulator, worker["id"], t0 + 240, worker_image, 8080, 0, outcome="error")
    batch = container(
        shop,
        DEMO_CREATED_CONTAINER_ID,
        DEMO_CREATED_CONTAINER_NAME,
        300,
        "created",
        registry_image="rg.fr-par.scw.cloud/shop/batch:0.3.0",
        memory_limit=4096,
        timeout="900s",
        description="Nightly exports (never deployed)",
    )
    emulator.log(batch["id"], "Container created", t0 + 300)
    legacy_image = "rg.fr-par.scw.cloud/shop/legacy:0.9"
    legacy = container(
        shop,
        DEMO_LOCKED_CONTAINER_ID,
        DEMO_LOCKED_CONTAINER_NAME,
        360,
        "locked",
        registry_image=legacy_image,
        memory_limit=256,
        description="Locked by an administrator",
    )
    _history(emulator, legacy["id"], t0 + 360, legacy_image, 8080, requests=5)
    checkout_image = "rg.fr-par.scw.cloud/shop/checkout:3.1.0"
    checkout = container(
        shop,
        DEMO_PENDING_CONTAINER_ID,
        DEMO_PENDING_CONTAINER_NAME,
        420,
        "pending",
        registry_image=checkout_image,
        memory_limit=3072,
        min_scale=2,
        max_scale=20,
    )
    emulator.log(checkout["id"], "Container created", t0 + 420)
    emulator.log(checkout["id"], "Deploying container checkout", now)
    emulator.log(checkout["id"], f"Pulling image {checkout_image} (2.1 GB)", now)
    emulator.schedule(now + emulator.delay(rules.DEMO_PENDING_S), "ct_ready", checkout)

    dash_image = "rg.fr-par.scw.cloud/tools/dashboard:latest"
    dash = container(
        tools,
        DEMO_TOOLS_CONTAINER_ID,
        DEMO_TOOLS_CONTAINER_NAME,
        480,
        "ready",
        registry_image=dash_image,
        privacy="private",
        memory_limit=512,
    )
    _history(emulator, dash["id"], t0 + 480, dash_image, 8080, requests=12)
    ingest_image = "rg.nl-ams.scw.cloud/analytics/ingest:5.2"
    ingest = container(
        ams,
        DEMO_AMS_CONTAINER_ID,
        DEMO_AMS_CONTAINER_NAME,
        660,
        "ready",
        registry_image=ingest_image,
        protocol="h2c",
        port=9000,
        max_scale=20,
    )
    _history(emulator, ingest["id"], t0 + 660, ingest_image, 9000, requests=25)
    reports_image = "rg.nl-ams.scw.cloud/analytics/reports:1.0"
    reports = container(
        ams,
        DEMO_AMS_REPORTS_CONTAINER_ID,
        DEMO_AMS_REPORTS_CONTAINER_NAME,
        720,
        "ready",
        registry_image=reports_image,
        http_option="redirected",
    )
    _history(emulator, reports["id"], t0 + 720, reports_image, 8080, requests=8)

    emulator.new_cron(
        web,
        "*/5 * * * *",
        {"path": "/warm"},
        DEMO_CRON_NAME,
        at=now,
        status="ready",
        cron_id=DEMO_CRON_ID,
    )
    emulator.new_cron(
        dash,
        "* * * * *",
        {},
        DEMO_HEARTBEAT_CRON_NAME,
        at=now,
        status="ready",
        cron_id=DEMO_HEARTBEAT_CRON_ID,
    )
    emulator.new_cron(
        ingest,
        "0 * * * *",
        {"window": "1h"},
        DEMO_AMS_CRON_NAME,
        at=now,
        status="ready",
        cron_id=DEMO_AMS_CRON_ID,
    )

    emulator.new_domain(
        web, DEMO_DOMAIN_HOSTNAME, at=t0 + 3 * _HOUR, status="ready", domain_id=DEMO_DOMAIN_ID
    )
    emulator.new_domain(
        web,
        DEMO_ERROR_DOMAIN_HOSTNAME,
        at=t0 + 4 * _HOUR,
        status="error",
        domain_id=DEMO_ERROR_DOMAIN_ID,
        error_message=f"HTTP-01 challenge failed for {DEMO_ERROR_DOMAIN_HOSTNAME}: "
        "no CNAME record points to the container",
    )

    emulator.new_token(
        api,
        "container",
        at=t0 + 5 * _HOUR,
        description="ci-deploy",
        status="ready",
        token_id=DEMO_TOKEN_ID,
        secret=DEMO_TOKEN_SECRET,
    )
    emulator.new_token(
        shop,
        "namespace",
        at=t0 + 6 * _HOUR,
        description="namespace-wide",
        expires_at=datetime(2035, 1, 1, tzinfo=UTC).timestamp(),
        status="ready",
        token_id=DEMO_NAMESPACE_TOKEN_ID,
        secret=DEMO_NAMESPACE_TOKEN_SECRET,
    )
