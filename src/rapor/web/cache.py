"""The embedded default's shared cache (no Redis): diskcache, SQLite and files under
RAPOR_HOME that every worker of this machine opens (settings.base)."""

from __future__ import annotations

from pathlib import Path

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    """diskcache's Django cache in a folder only this account can read (its entries are pickles,
    and whoever could write them could run code in the server), kept open between requests."""

    def __init__(self, directory: str | Path, params: dict) -> None:
        Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
        super().__init__(directory, params)

    def close(self, **kwargs) -> None:
        """Keep the connections: Django closes every cache at the end of each request, and
        reopening diskcache's SQLite files costs more than the reads a request makes."""
