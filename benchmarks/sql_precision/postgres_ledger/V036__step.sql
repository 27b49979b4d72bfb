-- LEDG-55 (jdoe): rollout of the new status vocabulary finished, stop accepting the old values.
ALTER TABLE public.api_clients DROP CONSTRAINT IF EXISTS api_clients_status_chk;
ALTER TABLE public.api_clients ADD CONSTRAINT api_clients_status_chk
    CHECK (status IN ('active', 'suspended', 'revoked'));
