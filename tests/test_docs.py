"""The docs keep up with the code: a source, column, published table, command or indicator that is
not documented fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapor.catalogue import load_catalogue
from rapor.cli import _parser
from rapor.pipeline.ingest import sources
from rapor.pipeline.models import load_layer

ROOT = Path(__file__).resolve().parent.parent


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("source", sources(), ids=lambda source: source["name"])
def test_every_raw_source_and_column_is_documented(source):
    """docs/data-sources.md has a section for each raw source naming every column it needs."""
    text = read("docs/data-sources.md")
    section = re.search(rf"## `{source['name']}`(.*?)(?=\n## |\Z)", text, re.S)
    assert section, f"no section for {source['name']}"
    for column in source["columns"]:
        assert f"`{column}`" in section.group(1), f"{source['name']}.{column} is undocumented"


def test_every_published_table_is_documented():
    """docs/release-format.md describes every Parquet file a release holds."""
    text = read("docs/release-format.md")
    for model in load_layer("marts"):
        assert f"`{model.publish}.parquet`" in text, f"{model.publish} is undocumented"


def test_every_command_is_in_the_readme():
    """The README's command table lists every `rapor` subcommand."""
    readme = read("README.md")
    commands = _parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"`rapor {name}" in readme, f"rapor {name} is not in the README"


def test_every_indicator_is_in_the_indicator_docs():
    """docs/indicators.md mentions every indicator and sub-indicator code of the catalogue."""
    text = read("docs/indicators.md")
    for indicator in load_catalogue().all_indicators:
        assert indicator.code in text, f"{indicator.code} is undocumented"


def test_every_web_setting_is_documented():
    """docs/web.md lists every environment variable the web settings read."""
    text = read("docs/web.md")
    settings_code = "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "src/rapor/web/settings").glob("*.py")
    )
    names = set(
        re.findall(
            r"""(?:environ\.get|environ\[|env_list|env_bool|_required)\(?["'](\w+)["']""",
            settings_code,
        )
    )
    assert names, "no settings found: the pattern above is out of date"
    for name in sorted(names):
        assert f"`{name}`" in text, f"setting {name} is not in docs/web.md"
