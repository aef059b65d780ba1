"""Package data: rule packs, shipped models, sample corpus (read via importlib.resources)."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

__all__ = ["resource"]


def resource(*parts: str) -> Traversable:
    """A path-like handle to a file shipped inside ``authentitext.resources``."""
    node = resources.files(__name__)
    for part in parts:
        node = node / part
    return node
