ALTER TABLE users ADD COLUMN full_name varchar(50);
