CREATE TABLE accounts (id serial PRIMARY KEY, email varchar(120) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);
