-- name: create_order
INSERT INTO orders (id, customer_id, quantity, note) VALUES (:id, :customer_id, :quantity, :note);
-- name: list_orders
SELECT id, customer_id, quantity, note FROM orders WHERE customer_id = :customer_id;
