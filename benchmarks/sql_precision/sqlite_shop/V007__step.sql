ALTER TABLE products ADD COLUMN price_new NUMERIC(12, 2);
UPDATE products SET price_new = price / 100.0;
ALTER TABLE products DROP COLUMN price;
ALTER TABLE products RENAME COLUMN price_new TO price;
