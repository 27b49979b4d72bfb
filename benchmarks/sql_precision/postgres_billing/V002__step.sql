CREATE TYPE plan_kind AS ENUM ('free', 'pro');
CREATE TABLE plans (id serial PRIMARY KEY, kind plan_kind NOT NULL DEFAULT 'free', price_cents integer NOT NULL);
