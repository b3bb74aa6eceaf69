"""What the live engine tells the UI, as plain frozen dataclasses (no Textual here).

The watcher hands these to a callback in batches, one batch per polled region and round, so
the UI can apply a whole round in one go (one tree refresh rather than one per resource).

```
NamespacesLoaded   first full picture of a region (namespaces and their containers)
ResourceChanged    a namespace or container appeared or changed (old_status None: new)
ResourceRemoved    a namespace or container is gone
Transition         an observed status change, with its time and how long the old status lasted
FollowEnded        a followed resource settled (ready, error, …) or disappeared
ConnectionState    how polling goes: connecting, connected, retrying (with countdown), unauthorized
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

ResourceKind = Literal["namespace", "container"]
ConnectionStatus = Literal["connecting", "connected", "retrying", "unauthorized"]

# Not an API status: what the timeline shows when a resource has disappeared from its list.
GONE = "gone"


@dataclass(frozen=True, slots=True)
class NamespacesLoaded:
    """The first complete picture of one region: every namespace and all their containers."""

    region: str
    namespaces: tuple[Namespace, ...]
    containers: Mapping[str, tuple[Container, ...]]  # by namespace id, in API (creation) order
    at: datetime


@dataclass(frozen=True, slots=True)
class ResourceChanged:
    """A resource appeared (`old_status` is None) or any of its fields changed."""

    kind: ResourceKind
    region: str
    resource: Namespace | Container
    old_status: str | None

    @property
    def is_new(self) -> bool:
        return self.old_status is None


@dataclass(frozen=True, slots=True)
class ResourceRemoved:
    """A resource is no longer listed (deleted, or its namespace is gone)."""

    kind: ResourceKind
    region: str
    resource_id: str
    namespace_id: str | None = None  # the parent, for a container


@dataclass(frozen=True, slots=True)
class Transition:
    """One observed status change.

    `duration_s` is how long the resource was seen in `from_status`: measured from the previous
    observed change, or from when the console first saw it (then `duration_is_lower_bound`).
    `from_status` is None when the resource appeared; `to_status` is `GONE` when it vanished.
    """

    kind: ResourceKind
    resource_id: str
    name: str
    region: str
    from_status: str | None
    to_status: str
    at: datetime
    duration_s: float | None
    error_message: str | None = None
    namespace_id: str | None = None
    duration_is_lower_bound: bool = False


@dataclass(frozen=True, slots=True)
class FollowEnded:
    """A resource the UI asked to follow has settled (or disappeared, `status` == GONE)."""

    kind: ResourceKind
    region: str
    resource_id: str
    name: str
    status: str
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectionState:
    """How polling goes, over every watched region.

    `retry_in_s` counts from the moment the event is emitted; `last_success` is the time of the
    last complete round (any region); `regions_down` lists the regions whose last round failed.
    """

    state: ConnectionStatus
    error: str | None = None
    retry_in_s: float | None = None
    last_success: datetime | None = None
    status_code: int | None = None
    regions_down: tuple[str, ...] = field(default_factory=tuple)


LiveEvent = (
    NamespacesLoaded
    | ResourceChanged
    | ResourceRemoved
    | Transition
    | FollowEnded
    | ConnectionState
)
