CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, created_at TEXT);
CREATE UNIQUE INDEX customers_email ON customers (email);
