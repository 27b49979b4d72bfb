-- LEDG-75 (spark): account codes must fit the 16-char field of the bank export format.
ALTER TABLE public.accounts ALTER COLUMN code TYPE varchar(16);
