"""Fixtures shared by the live engine's tests."""

from tests.live.test_watcher import running

__all__ = ["running"]
