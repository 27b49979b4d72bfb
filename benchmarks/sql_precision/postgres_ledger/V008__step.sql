-- LEDG-14 (rpatel): allow accounts to be archived instead of deleted.
ALTER TABLE public.accounts ADD COLUMN IF NOT EXISTS is_active boolean NOT NULL DEFAULT true;

-- the account picker only ever lists active accounts
CREATE INDEX IF NOT EXISTS accounts_active_idx ON public.accounts (code) WHERE is_active;
