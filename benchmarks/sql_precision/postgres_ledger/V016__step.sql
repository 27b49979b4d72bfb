-- LEDG-36 (rpatel): materialised running balance per account.
CREATE TABLE public.account_balances (
    account_id integer       PRIMARY KEY REFERENCES public.accounts (id),
    balance    numeric(12,2) NOT NULL DEFAULT 0,
    updated_at timestamptz   NOT NULL DEFAULT now()
);

-- every existing account starts at zero
INSERT INTO public.account_balances (account_id)
SELECT a.id FROM public.accounts a;
