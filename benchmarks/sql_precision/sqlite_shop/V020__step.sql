ALTER TABLE order_lines ADD COLUMN unit_price NUMERIC(12, 2);
UPDATE order_lines SET unit_price = (SELECT price FROM products WHERE products.id = order_lines.product_id);
