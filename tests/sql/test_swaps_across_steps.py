"""The contract step of a column swap whose new column an earlier migration added (expand: add ``qty_dec`` and a
trigger; contract: drop ``qty``, rename ``qty_dec`` to ``qty``) is a type change of ``qty`` and the loss of
``qty_dec``, not a drop of ``qty`` plus a rename; a rebuilt table's new column is located at its CREATE TABLE."""

from sqltest_servers import MY_URL, reachable, unreachable

from pytest_cdcompat.api import compare

OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"


def run(tmp_path, base, change, url=None):
    for v in ("old", "new"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "0001_init.sql").write_text(base)
    (tmp_path / "new" / "0002_change.sql").write_text(change)
    report = compare(tmp_path / "old", tmp_path / "new", kind="sql", examples=0, db_url=url, seed=5)
    return {d.value: sorted((f.rule, f.location, f.message) for f in r.findings) for d, r in report.directions.items()}


def test_contract_step_of_a_swap_is_a_type_change_and_the_loss_of_the_new_column(tmp_path):
    if why := reachable(MY_URL):
        unreachable(f"server not reachable: {why}")
    base = "CREATE TABLE stock (id int PRIMARY KEY, qty INT NOT NULL DEFAULT 0, qty_dec DECIMAL(14,3) NULL);\n"
    change = (
        "ALTER TABLE stock DROP COLUMN qty;\n"
        "ALTER TABLE stock CHANGE COLUMN qty_dec qty DECIMAL(14,3) NOT NULL DEFAULT 0.000;\n"
    )
    found = run(tmp_path, base, change, MY_URL)
    at = "new/0002_change.sql:2"
    assert found[OC] == [
        ("column-dropped", at, "column stock.qty_dec was dropped; the old application still reads and writes it"),
    ]
    assert found[NC] == [
        (
            "column-type-widened",
            at,
            "column stock.qty changed type from INT to DECIMAL(14, 3); values the new application writes may not fit "
            "the old type",
        )
    ]


def test_a_default_written_as_the_same_number_is_no_change(tmp_path):
    base = "CREATE TABLE stock (id integer PRIMARY KEY, qty numeric(12,3) NOT NULL DEFAULT 0);\n"
    change = (
        "CREATE TABLE stock_new (id integer PRIMARY KEY, qty numeric(12,3) NOT NULL DEFAULT 0.000);\n"
        "INSERT INTO stock_new SELECT * FROM stock;\nDROP TABLE stock;\nALTER TABLE stock_new RENAME TO stock;\n"
    )
    assert run(tmp_path, base, change) == {OC: [], NC: []}


def test_a_column_of_a_rebuilt_table_is_located_at_its_create_table(tmp_path):
    base = "CREATE TABLE moves (id integer PRIMARY KEY, qty integer NOT NULL, amount numeric(12,2));\n"
    change = (
        "ALTER TABLE moves RENAME TO moves_old;\n"
        "CREATE TABLE moves (id integer PRIMARY KEY, qty integer NOT NULL, amount numeric(18,4), site_id integer);\n"
        "INSERT INTO moves (id, qty, amount) SELECT id, qty, amount FROM moves_old;\nDROP TABLE moves_old;\n"
    )
    found = run(tmp_path, base, change)
    assert found[OC] == []
    assert [(r, loc) for r, loc, _ in found[NC]] == [
        ("column-added", "new/0002_change.sql:2"),
        ("column-type-widened", "new/0002_change.sql:2"),
    ]
