ALTER TABLE orders ADD COLUMN shipped_at TEXT;
CREATE INDEX orders_shipped ON orders (shipped_at);
