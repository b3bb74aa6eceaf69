"""Form drafts kept in the app's state store, so a form abandoned by a quit or crash comes back.

A draft is what a user typed, minus every secret value (the forms leave them out; the store
strips anything that still looks secret). Keys say which form on which resource:
`namespace:create:fr-par`, `container:edit:<id>`, `cron:create:<container id>`…
"""

from __future__ import annotations

import logging
from typing import Any

from tui.config.state import StateStore

log = logging.getLogger(__name__)


def store_of(app: Any) -> StateStore | None:
    store = getattr(app, "state_store", None)
    return store if isinstance(store, StateStore) else None


def save(app: Any, key: str, payload: dict[str, Any]) -> None:
    store = store_of(app)
    if store is None:
        return
    try:
        store.save_draft(key, payload)
    except OSError as exc:  # a full disk must not break typing into a form
        log.warning("could not save the form draft: %s", exc)


def clear(app: Any, key: str) -> None:
    store = store_of(app)
    if store is None:
        return
    try:
        store.clear_draft(key)
    except OSError as exc:
        log.warning("could not clear the form draft: %s", exc)


def load_all(app: Any) -> dict[str, dict[str, Any]]:
    store = store_of(app)
    if store is None:
        return {}
    try:
        return store.load_drafts()
    except OSError as exc:
        log.warning("could not read form drafts: %s", exc)
        return {}
