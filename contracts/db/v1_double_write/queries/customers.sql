-- The application release deployed BEFORE the copy-only migration: a preemptive double write.
-- It writes email as always, and mirrors it into contact_email, tolerating that column's absence.
-- name: create_customer
INSERT INTO customers (id, email, name, created_at) VALUES (:id, :email, :name, :created_at);
-- name: mirror_contact_email (optional)
UPDATE customers SET contact_email = :email WHERE id = :id;
-- name: get_customer
SELECT id, email, name, created_at FROM customers WHERE id = :id;
