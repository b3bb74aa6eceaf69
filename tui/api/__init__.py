"""Async client for the Scaleway Serverless Containers API (v1beta1). No Textual here.

```python
from tui.api import ContainersClient, errors, models

async with ContainersClient(secret_key=key, region="fr-par") as client:
    async for namespace in client.iter_namespaces():
        ...
```

Layers: `client.py` (the v1beta1 endpoints → models) over `_transport.py` (one httpx client,
auth, retries per `_retry.py`, error mapping per `errors.py`); `models.py` holds the pydantic
models. A v1 adapter would be another module over the same transport.
"""

import sys

# httpx imports its command-line client (click, pygments, rich.syntax: ~20 ms, a tenth of the
# console's start-up) whenever click is installed, and uvicorn installs click. The console
# never runs httpx's CLI: a None entry in sys.modules makes that import fail at once, and httpx
# then defines a stub `main`. Nothing else of httpx changes.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from tui.api import errors, models
from tui.api._retry import RetryPolicy
from tui.api._transport import ClientStats
from tui.api.client import (
    DEFAULT_API_URL,
    EMULATOR_SECRET_KEY,
    USER_AGENT,
    ContainersClient,
)

__all__ = [
    "DEFAULT_API_URL",
    "EMULATOR_SECRET_KEY",
    "USER_AGENT",
    "ClientStats",
    "ContainersClient",
    "RetryPolicy",
    "errors",
    "models",
]
