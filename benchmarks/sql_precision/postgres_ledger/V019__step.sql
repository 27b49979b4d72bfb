-- LEDG-44 (jdoe): daily FX rates.
CREATE TABLE public.exchange_rates (
    id    bigserial     PRIMARY KEY,
    base  char(3)       NOT NULL REFERENCES public.currencies (code),
    quote char(3)       NOT NULL REFERENCES public.currencies (code),
    rate  numeric(18,8) NOT NULL CHECK (rate > 0),
    as_of date          NOT NULL,
    CONSTRAINT exchange_rates_pair_day_key UNIQUE (base, quote, as_of)
);

-- a couple of rates so the FX screen is not empty on fresh environments
INSERT INTO public.exchange_rates (base, quote, rate, as_of) VALUES
    ('USD', 'EUR', 0.92150000, '2023-03-01'),
    ('USD', 'GBP', 0.83020000, '2023-03-01');
