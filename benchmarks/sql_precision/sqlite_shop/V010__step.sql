CREATE TABLE orders_new (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers (id), status TEXT NOT NULL DEFAULT 'new', total INTEGER, shipped_at TEXT, note TEXT);
INSERT INTO orders_new (id, customer_id, status, total, shipped_at) SELECT id, customer_id, status, total, shipped_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_customer ON orders (customer_id);
