-- LEDG-55 (jdoe): align API client statuses with the identity service vocabulary.
-- Widen the check first so both vocabularies are accepted during the rollout.
ALTER TABLE public.api_clients DROP CONSTRAINT IF EXISTS api_clients_status_chk;
ALTER TABLE public.api_clients ADD CONSTRAINT api_clients_status_chk
    CHECK (status IN ('enabled', 'disabled', 'active', 'suspended', 'revoked'));

-- rewrite the existing values
UPDATE public.api_clients SET status = 'active'    WHERE status = 'enabled';
UPDATE public.api_clients SET status = 'suspended' WHERE status = 'disabled';

ALTER TABLE public.api_clients ALTER COLUMN status SET DEFAULT 'active';
