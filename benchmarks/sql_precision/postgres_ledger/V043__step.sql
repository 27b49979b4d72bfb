-- LEDG-90 (akim): widen a few columns ahead of the LatAm launch (long currency names, exotic rates).
ALTER TABLE public.currencies ALTER COLUMN name TYPE varchar(255);
ALTER TABLE public.exchange_rates ALTER COLUMN rate TYPE numeric(24,10);
