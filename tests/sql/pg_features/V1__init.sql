CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE public.customers (
    id bigserial PRIMARY KEY,
    uid uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL,
    profile jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customers_email_key UNIQUE (email)
);
COMMENT ON TABLE customers IS 'people who buy things';
CREATE TABLE orders (
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    line integer NOT NULL,
    status order_status NOT NULL DEFAULT 'new',
    amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
    tags text[],
    PRIMARY KEY (customer_id, line)
);
CREATE INDEX orders_open ON orders (customer_id) WHERE status <> 'shipped';
CREATE TABLE events (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload json,
    at timestamp without time zone
);
