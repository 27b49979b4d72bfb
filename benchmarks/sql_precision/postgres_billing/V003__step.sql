CREATE TABLE subscriptions (id bigserial PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), plan_id integer NOT NULL REFERENCES plans (id), started_on date NOT NULL);
