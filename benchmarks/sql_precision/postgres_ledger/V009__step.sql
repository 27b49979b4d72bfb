-- LEDG-17 (mkowalski): fiscal periods, one per calendar month.
CREATE TABLE public.fiscal_periods (
    id        serial  PRIMARY KEY,
    starts_on date    NOT NULL,
    ends_on   date    NOT NULL,
    closed    boolean NOT NULL DEFAULT false,
    CONSTRAINT fiscal_periods_range_chk CHECK (ends_on > starts_on),
    CONSTRAINT fiscal_periods_starts_on_key UNIQUE (starts_on)
);

-- seed the 2022 and 2023 periods
INSERT INTO public.fiscal_periods (starts_on, ends_on)
SELECT d::date, (d + interval '1 month' - interval '1 day')::date
FROM generate_series(date '2022-01-01', date '2023-12-01', interval '1 month') AS g(d);
