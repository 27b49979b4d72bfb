ALTER TABLE invoices ADD COLUMN paid boolean NOT NULL DEFAULT false;
