"""A short text summary of a release: what it holds and the national headline figures."""

from __future__ import annotations

import duckdb

from rapor.releases import Release

HEADLINE_INDICATORS = ("A.1", "A.2", "A.3", "APK-SD", "APS-SD", "APS-SMP", "APS-SMA")
JENJANG_ORDER = ("dasar", "menengah_pertama", "menengah")


def summarize(release: Release) -> str:
    """Where the release is, its row counts and rejects, and national values per year."""
    manifest = release.manifest
    lines = [
        f"Active release {release.release_id} ({release.path})",
        f"  created {manifest['created_at']}, years {', '.join(map(str, manifest['years']))}",
        "  inputs: "
        + ", ".join(
            f"{source} {facts['rows']:,} rows ({facts['rejected']:,} rejected)"
            for source, facts in manifest["inputs"].items()
        ),
        "  published: "
        + ", ".join(f"{table} {rows:,}" for table, rows in manifest["row_counts"].items()),
        "National values (mean of school values; APK/APS/APM from BPS):",
    ]
    rows = duckdb.execute(
        "select indicator, jenjang, year, value, label from read_parquet(?)"
        " where entity_type = 'nasional' and bentuk = 'semua' and status = 'semua'"
        " and indicator in (select unnest(?::varchar[]))",
        [str(release.path / "indicator_values.parquet"), list(HEADLINE_INDICATORS)],
    ).fetchall()
    table = {
        (indicator, jenjang, year): (value, label)
        for indicator, jenjang, year, value, label in rows
    }
    years = manifest["years"]
    lines.append(f"  {'indicator':<10}{'jenjang':<18}" + "".join(f"{year:>18}" for year in years))
    for indicator in HEADLINE_INDICATORS:
        for jenjang in JENJANG_ORDER:
            cells = [table.get((indicator, jenjang, year)) for year in years]
            if not any(cells):
                continue
            lines.append(
                f"  {indicator:<10}{jenjang:<18}"
                + "".join(
                    f"{value:>7.1f} {label:<10}" if value is not None else f"{'-':>7}{'':<11}"
                    for value, label in (cell or (None, None) for cell in cells)
                )
            )
    return "\n".join(lines)
