"""What a demo load created and found, and where it reports progress."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


@dataclass
class DemoLoadResult:
    """What one run created, and the one-time passwords of the users it created."""

    created: Counter = field(default_factory=Counter)
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def nothing_created(self) -> bool:
        return not +self.created
