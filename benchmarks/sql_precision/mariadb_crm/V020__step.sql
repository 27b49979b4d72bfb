ALTER TABLE contacts DROP COLUMN phone_number;
