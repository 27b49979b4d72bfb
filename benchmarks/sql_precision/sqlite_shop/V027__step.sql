CREATE TABLE shipments (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders (id), carrier TEXT, tracking VARCHAR(64));
INSERT INTO shipments (order_id, carrier) SELECT id, 'post' FROM orders WHERE shipped_at IS NOT NULL;
