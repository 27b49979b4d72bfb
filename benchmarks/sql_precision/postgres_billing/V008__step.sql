CREATE TABLE invoices (id bigserial PRIMARY KEY, subscription_id bigint NOT NULL REFERENCES subscriptions (id), amount_cents integer NOT NULL, meta jsonb);
