-- LEDG-95 (rpatel): new currencies for the LatAm launch.
INSERT INTO public.currencies (code, name, minor_units) VALUES
    ('BRL', 'Brazilian Real', 2),
    ('MXN', 'Mexican Peso', 2),
    ('CLP', 'Chilean Peso', 0)
ON CONFLICT (code) DO NOTHING;

COMMENT ON COLUMN public.currencies.minor_units IS 'Number of decimal places (ISO 4217 exponent).';
