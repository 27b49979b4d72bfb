-- LEDG-63 (akim): we are at 1.4bn postings in the biggest tenant; move account ids to bigint
-- before the integer sequence becomes a problem.
ALTER TABLE public.accounts ALTER COLUMN id TYPE bigint;
ALTER SEQUENCE public.accounts_id_seq AS bigint;
ALTER TABLE public.postings ALTER COLUMN account_id TYPE bigint;
ALTER TABLE public.account_balances ALTER COLUMN account_id TYPE bigint;
