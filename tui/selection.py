"""What the user has selected in the resource tree, as plain data shared by screens and actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

NodeKind = Literal["region", "namespace", "container"]


@dataclass(frozen=True)
class Selected:
    """The selected tree node: a region, a namespace (with its region) or a container."""

    kind: NodeKind
    region: str
    namespace: Namespace | None = None
    container: Container | None = None

    @property
    def resource_id(self) -> str | None:
        if self.container is not None:
            return self.container.id
        if self.namespace is not None:
            return self.namespace.id
        return None
