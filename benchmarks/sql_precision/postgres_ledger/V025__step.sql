-- LEDG-58 (rpatel): rebuild account_balances with a surrogate key, optimistic-locking
-- version column and 4dp balances. Rebuilt instead of altered to get a compact table.
ALTER TABLE public.account_balances RENAME TO account_balances_old;
ALTER INDEX public.account_balances_pkey RENAME TO account_balances_old_pkey;

CREATE TABLE public.account_balances (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id integer       NOT NULL,
    balance    numeric(18,4) NOT NULL DEFAULT 0,
    version    integer       NOT NULL DEFAULT 0,
    updated_at timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT account_balances_account_key UNIQUE (account_id),
    CONSTRAINT account_balances_account_fk FOREIGN KEY (account_id) REFERENCES public.accounts (id)
);

INSERT INTO public.account_balances (account_id, balance, updated_at)
SELECT account_id, balance, updated_at FROM public.account_balances_old;

DROP TABLE public.account_balances_old;
