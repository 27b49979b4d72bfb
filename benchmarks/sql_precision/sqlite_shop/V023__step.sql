CREATE TABLE customers_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, created_at TEXT, ref TEXT, CHECK (length(email) > 3));
INSERT INTO customers_new SELECT id, email, name, created_at, ref FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
CREATE UNIQUE INDEX customers_email_name ON customers (email, name);
