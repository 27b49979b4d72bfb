-- LEDG-2 (akim): currencies and account kinds.
CREATE TYPE public.account_kind AS ENUM ('asset', 'liability', 'equity', 'income', 'expense');

CREATE TABLE public.currencies (
    code        char(3)      PRIMARY KEY,
    name        varchar(100) NOT NULL,
    minor_units smallint     NOT NULL DEFAULT 2
);

-- the three currencies we launch with
INSERT INTO public.currencies (code, name, minor_units) VALUES
    ('USD', 'US Dollar', 2),
    ('EUR', 'Euro', 2),
    ('GBP', 'Pound Sterling', 2);
