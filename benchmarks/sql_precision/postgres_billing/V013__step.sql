ALTER TABLE plans ADD COLUMN name text;
UPDATE plans SET name = kind::text;
ALTER TABLE plans ALTER COLUMN name SET NOT NULL;
