ALTER TABLE accounts RENAME TO accounts_old;
CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(120) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), public_id uuid DEFAULT gen_random_uuid(), display_name text, locale text);
INSERT INTO accounts SELECT id, email, created_at, public_id, display_name, locale FROM accounts_old;
ALTER TABLE subscriptions DROP CONSTRAINT fk_subscriptions_account;
DROP TABLE accounts_old;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
