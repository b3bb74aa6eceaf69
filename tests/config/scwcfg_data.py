"""Values shared by the configuration tests (fake, but in the real formats)."""

from collections.abc import Callable
from pathlib import Path

SECRET = "5f0c8a3e-9b7d-4e21-a6c4-1d2e3f4a5b6c"
OTHER_SECRET = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
ACCESS = "SCWABCDEFGHIJ1234567"
ORG = "11111111-2222-4333-8444-555555555555"
PROJECT = "66666666-7777-4888-9999-000000000000"
OTHER_PROJECT = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

# write_config(text, path=None, mode=0o600) -> Path (the fixture in conftest.py)
WriteConfig = Callable[..., Path]
