"""The SQL model runner: layers run in order and their declared checks stop a bad build."""

from __future__ import annotations

import duckdb
import pytest

from rapor.pipeline import models
from rapor.pipeline.engine import DuckDBEngine


def test_layers_list_one_sql_file_per_model():
    """Each model in a layer's _models.yml has its SQL file, which opens with its grain."""
    for layer in ("staging", "intermediate", "marts"):
        for model in models.load_layer(layer):
            assert model.sql.startswith("-- One row per"), f"{model.name} does not state its grain"
    sql_files = {path.stem for path in models.SQL_DIR.rglob("*.sql")}
    listed = {
        m.name for layer in ("staging", "intermediate", "marts") for m in models.load_layer(layer)
    }
    assert sql_files == listed


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ({"unique": ["code"]}, "check unique"),
        ({"not_null": ["name"]}, "check not_null"),
        ({"accepted_values": {"column": "code", "values": ["a"]}}, "check accepted_values"),
        ({"expression": "length(code) = 1"}, "check expression"),
    ],
)
def test_a_failing_check_names_the_table_and_rows(check, message):
    """A check that finds bad rows raises with the table, the check and how many rows fail."""
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values ('a', 'x'), ('bb', null), ('bb', 'y'))"
        " as v (code, name)"
    )
    with pytest.raises(models.ModelCheckFailed, match=rf"t: {message} .* fails for \d+ rows"):
        models._run_check(DuckDBEngine(con), "t", check)


def test_passing_checks_are_silent():
    """Checks that hold raise nothing."""
    con = duckdb.connect()
    con.execute("create table t as select * from (values ('a', 'x'), ('b', 'y')) v(code, name)")
    for check in (
        {"unique": ["code"]},
        {"not_null": ["code", "name"]},
        {"expression": "code < 'c'"},
    ):
        models._run_check(DuckDBEngine(con), "t", check)
