CREATE INDEX invoices_paid_idx ON invoices (paid) WHERE NOT paid;
