"""Run records: installed versions of the packages that decide a result (private helper)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["package_versions"]


def package_versions(dists: Iterable[str]) -> dict[str, str]:
    """``{distribution: version}``, with ``"not installed"`` for missing ones."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for dist in dists:
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out
