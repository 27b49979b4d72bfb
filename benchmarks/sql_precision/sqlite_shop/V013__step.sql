ALTER TABLE customers ADD COLUMN ref_new TEXT;
UPDATE customers SET ref_new = ref;
ALTER TABLE customers DROP COLUMN ref;
ALTER TABLE customers RENAME COLUMN ref_new TO ref;
