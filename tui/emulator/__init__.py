"""The built-in emulator of the Scaleway Serverless Containers API v1beta1 (Starlette app).

``create_app(...)`` builds it; ``tui.emulator.server`` serves it with uvicorn; the demo seed's
ids and names live in ``tui.emulator.seed``; test helpers in ``tui.emulator.testing``.
It never imports the client (``tui.api``): it is an independent implementation of the server.
"""

from tui.emulator.app import create_app
from tui.emulator.state import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID

__all__ = ["DEFAULT_ORGANIZATION_ID", "DEFAULT_PROJECT_ID", "create_app"]
