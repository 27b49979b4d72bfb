-- LEDG-21 (jdoe): API clients for the public posting API.
CREATE TABLE public.api_clients (
    id          uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    name        varchar(100) NOT NULL,
    email       citext       NOT NULL,
    secret_hash bytea        NOT NULL,
    status      varchar(20)  NOT NULL DEFAULT 'enabled',
    created_at  timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT api_clients_email_key UNIQUE (email),
    CONSTRAINT api_clients_status_chk CHECK (status IN ('enabled', 'disabled'))
);

-- internal client used by the billing service
INSERT INTO public.api_clients (name, email, secret_hash)
VALUES ('billing-service', 'billing@internal.example', digest('change-me', 'sha256'));
