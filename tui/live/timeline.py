"""A bounded history of observed status changes, per resource and overall."""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable

from tui.live.events import Transition


class Timeline:
    """Keeps the last `per_resource` transitions of each resource, for at most `max_resources`
    resources (the least recently changed are forgotten first), plus the last `recent_size`
    transitions overall. Memory stays bounded however long the console stays open.
    """

    def __init__(
        self, *, per_resource: int = 50, max_resources: int = 20_000, recent_size: int = 500
    ) -> None:
        self.per_resource = per_resource
        self.max_resources = max_resources
        self._by_resource: OrderedDict[str, deque[Transition]] = OrderedDict()
        self._recent: deque[Transition] = deque(maxlen=recent_size)

    def record(self, transition: Transition) -> None:
        history = self._by_resource.get(transition.resource_id)
        if history is None:
            history = deque(maxlen=self.per_resource)
            self._by_resource[transition.resource_id] = history
            while len(self._by_resource) > self.max_resources:
                self._by_resource.popitem(last=False)
        else:
            self._by_resource.move_to_end(transition.resource_id)
        history.append(transition)
        self._recent.append(transition)

    def extend(self, transitions: Iterable[Transition]) -> None:
        for transition in transitions:
            self.record(transition)

    def for_resource(self, resource_id: str) -> list[Transition]:
        """The resource's transitions, oldest first."""
        return list(self._by_resource.get(resource_id, ()))

    def for_resources(self, resource_ids: Iterable[str]) -> list[Transition]:
        """The transitions of several resources merged in time order, oldest first."""
        merged: list[Transition] = []
        for resource_id in resource_ids:
            merged.extend(self._by_resource.get(resource_id, ()))
        merged.sort(key=lambda t: t.at)
        return merged

    def recent(self, limit: int | None = None) -> list[Transition]:
        """The latest transitions overall, oldest first."""
        items = list(self._recent)
        return items if limit is None else items[-limit:]

    def __len__(self) -> int:
        return sum(len(history) for history in self._by_resource.values())
