ALTER TABLE plans DROP COLUMN price_cents;
