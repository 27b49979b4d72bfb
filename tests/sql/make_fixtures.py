"""Writes tests/sql/rules/<rule-id>/{breaking,safe}/{old,new}/ migration folders and expected.json (run once by hand;
the generated files are committed, this script documents where they came from)."""

import json
from pathlib import Path

BASE = """CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(100) NOT NULL,
    name varchar(50),
    status varchar(20) DEFAULT 'new',
    age integer
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    user_id integer,
    quantity integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_key ON users (email);
"""
OC, NC = "old_consumer_new_producer", "new_consumer_old_producer"
CASES = {
    "table-dropped": ("DROP TABLE orders;", "CREATE TABLE archive (id integer PRIMARY KEY);", [OC]),
    "table-renamed": (
        "ALTER TABLE orders RENAME TO purchases;",
        "CREATE TABLE purchases (id integer PRIMARY KEY);",
        [OC, NC],
    ),
    "table-added": ("CREATE TABLE invoices (id integer PRIMARY KEY);", "ALTER TABLE users ADD COLUMN x text;", [NC]),
    "column-dropped": ("ALTER TABLE users DROP COLUMN age;", "ALTER TABLE users ADD COLUMN y text;", [OC]),
    "column-renamed": (
        "ALTER TABLE users RENAME COLUMN name TO full_name;",
        "ALTER TABLE users ADD COLUMN full_name varchar(50);",
        [OC, NC],
    ),
    "column-added": ("ALTER TABLE users ADD COLUMN phone text;", "CREATE INDEX users_name ON users (name);", [NC]),
    "not-null-column-added-without-default": (
        "ALTER TABLE users ADD COLUMN country text NOT NULL;",
        "ALTER TABLE users ADD COLUMN country text NOT NULL DEFAULT 'NL';",
        [OC],
    ),
    "column-set-not-null": (
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;",
        "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;",
        [OC],
    ),
    "column-made-nullable": (
        "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
        "ALTER TABLE users ALTER COLUMN age SET DEFAULT 0;",
        [OC],
    ),
    "column-type-narrowed": (
        "ALTER TABLE users ALTER COLUMN email TYPE varchar(20);",
        "ALTER TABLE users ALTER COLUMN email TYPE varchar(100);",
        [OC],
    ),
    "column-type-widened": (
        "ALTER TABLE users ALTER COLUMN name TYPE varchar(200);",
        "ALTER TABLE users ALTER COLUMN name TYPE varchar(50);",
        [NC],
    ),
    "column-type-changed": (
        "ALTER TABLE users ALTER COLUMN age TYPE text;",
        "ALTER TABLE users ALTER COLUMN age TYPE integer;",
        [OC, NC],
    ),
    "unique-constraint-added": (
        "ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name);",
        "CREATE TABLE tags (id integer PRIMARY KEY, label text UNIQUE);",
        [OC],
    ),
    "check-constraint-added": (
        "ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (quantity > 0);",
        "CREATE TABLE t2 (id integer PRIMARY KEY, n integer CHECK (n > 0));",
        [OC],
    ),
    "foreign-key-added": (
        "ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);",
        "CREATE TABLE t3 (id integer PRIMARY KEY, user_id integer REFERENCES users (id));",
        [OC],
    ),
    "column-default-dropped": (
        "ALTER TABLE users ALTER COLUMN status DROP DEFAULT;",
        "ALTER TABLE users ALTER COLUMN age SET DEFAULT 18;",
        [OC],
    ),
    "column-default-changed": (
        "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';",
        "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new';",
        [OC],
    ),
    "unique-index-dropped": ("DROP INDEX users_email_key;", "CREATE INDEX users_age ON users (age);", [OC]),
    "rows-deleted-without-where": ("DELETE FROM orders;", "DELETE FROM orders WHERE quantity < 0;", [OC]),
    "rows-updated-without-where": (
        "UPDATE users SET status = 'active';",
        "ALTER TABLE users ADD COLUMN email_address varchar(100);\nUPDATE users SET email_address = email;",
        [OC],
    ),
}


def write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)


def main() -> None:
    root = Path(__file__).parent / "rules"
    for rid, (breaking, safe, directions) in CASES.items():
        for variant, change, dirs in (("breaking", breaking, directions), ("safe", safe, [])):
            case = root / rid / variant
            write(case / "old", {"0001_init.sql": BASE})
            write(case / "new", {"0001_init.sql": BASE, "0002_change.sql": change + "\n"})
            hit = [{"rule": rid, "location": "new/0002_change.sql:1"}]
            expected = {d: (hit if d in dirs else []) for d in (OC, NC)}
            (case / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    # migration-edited: the released 0001 changed in the branch
    case = root / "migration-edited" / "breaking"
    write(case / "old", {"0001_init.sql": BASE})
    write(case / "new", {"0001_init.sql": BASE.replace("age integer", "age bigint")})
    loc = "new/0001_init.sql:6"
    hit = [{"rule": "migration-edited", "location": loc}]
    (case / "expected.json").write_text(json.dumps({OC: hit, NC: hit}, indent=2) + "\n")
    case = root / "migration-edited" / "safe"
    write(case / "old", {"0001_init.sql": BASE})
    write(case / "new", {"0001_init.sql": BASE + "\n", "0002_more.sql": "ALTER TABLE users ADD COLUMN z text;\n"})
    (case / "expected.json").write_text(json.dumps({OC: [], NC: []}, indent=2) + "\n")


if __name__ == "__main__":
    main()
