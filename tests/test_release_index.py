"""The web's lookup index holds exactly what its release holds."""

from __future__ import annotations

import polars as pl

from rapor import releases
from rapor.release_index import index_path, open_index
from tests.conftest import Built


def _index_table(built: Built, table: str) -> pl.DataFrame:
    home = built.release_dir.parent.parent
    release = releases.get_release(built.release_dir.name, home)
    connection = open_index(index_path(release, home))
    try:
        return connection.sql(f"select * from {table}").pl()
    finally:
        connection.close()


def test_activation_makes_the_index(built):
    """Activating a release (as `built` did) leaves its index file under RAPOR_HOME/index/."""
    home = built.release_dir.parent.parent
    release = releases.get_release(built.release_dir.name, home)
    assert index_path(release, home).is_file()


def test_index_holds_every_release_row(built):
    """Each indexed table has the same rows as the release's Parquet file."""
    for table in ("indicator_values", "ability_distribution", "participation_by_ses", "schools"):
        indexed = _index_table(built, table)
        published = built.table(table)
        assert indexed.height == published.height, table
        assert set(published.columns) <= set(indexed.columns), table


def test_index_carries_each_rows_peer_value(built):
    """indicator_values in the index has the peer mean of peer_values.parquet on the same key."""
    key = ["entity_type", "entity_code", "year", "jenjang", "bentuk", "status", "indicator"]
    indexed = _index_table(built, "indicator_values").filter(pl.col("peer_group").is_not_null())
    peers = built.table("peer_values")
    joined = peers.join(indexed, on=key, how="left", suffix="_index")
    assert joined.height == peers.height
    assert joined.filter(pl.col("peer_value").ne_missing(pl.col("peer_value_index"))).is_empty()
