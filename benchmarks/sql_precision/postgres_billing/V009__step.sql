ALTER TABLE invoices ADD COLUMN amount numeric(12, 2);
UPDATE invoices SET amount = amount_cents / 100.0;
ALTER TABLE invoices DROP COLUMN amount_cents;
