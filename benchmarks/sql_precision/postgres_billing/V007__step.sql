ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_account_id_fkey;
ALTER TABLE subscriptions ADD CONSTRAINT fk_subscriptions_account FOREIGN KEY (account_id) REFERENCES accounts (id);
