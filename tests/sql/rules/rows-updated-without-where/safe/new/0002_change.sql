ALTER TABLE users ADD COLUMN email_address varchar(100);
UPDATE users SET email_address = email;
