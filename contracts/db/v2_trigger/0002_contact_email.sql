-- Expand step of renaming customers.email to contact_email, done safely: a trigger keeps the new column
-- in sync with every write the old application makes until it is gone; the UPDATE backfills existing rows.
ALTER TABLE customers ADD COLUMN contact_email varchar(200);
CREATE TRIGGER customers_contact_email_insert AFTER INSERT ON customers
WHEN NEW.contact_email IS NULL
BEGIN
    UPDATE customers SET contact_email = NEW.email WHERE id = NEW.id;
END;
CREATE TRIGGER customers_contact_email_update AFTER UPDATE OF email ON customers
BEGIN
    UPDATE customers SET contact_email = NEW.email WHERE id = NEW.id;
END;
UPDATE customers SET contact_email = email;
