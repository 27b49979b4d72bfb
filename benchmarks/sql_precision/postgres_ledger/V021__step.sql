-- LEDG-50 (jdoe): idempotency keys for the posting API (POST /entries).
CREATE TABLE public.idempotency_keys (
    key          uuid        PRIMARY KEY,
    client_id    uuid        NOT NULL REFERENCES public.api_clients (id),
    request_hash bytea       NOT NULL,
    response     jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '24 hours'
);

CREATE INDEX idempotency_keys_expires_idx ON public.idempotency_keys (expires_at);
