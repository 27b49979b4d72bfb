ALTER TABLE plans ADD COLUMN seats integer;
