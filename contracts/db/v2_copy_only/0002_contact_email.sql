-- Expand step of renaming customers.email to contact_email, done unsafely: the column is copied once.
-- Every customer the old application creates after this migration has an empty contact_email,
-- and the new application, which reads contact_email, loses that write.
ALTER TABLE customers ADD COLUMN contact_email varchar(200);
UPDATE customers SET contact_email = email;
