ALTER TABLE invoices ALTER COLUMN meta SET DEFAULT '{}'::jsonb;
