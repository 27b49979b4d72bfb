DROP INDEX customers_email;
CREATE UNIQUE INDEX customers_email_name ON customers (email, name);
