-- LEDG-3 (akim): chart of accounts.
CREATE TABLE public.accounts (
    id         serial       PRIMARY KEY,
    code       varchar(32)  NOT NULL,
    name       varchar(100) NOT NULL,
    kind       public.account_kind NOT NULL,
    currency   char(3)      NOT NULL REFERENCES public.currencies (code),
    created_at timestamptz  NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX accounts_code_key ON public.accounts (code);
