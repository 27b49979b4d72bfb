-- LEDG-25 (rpatel): account names from the ERP import are longer than 100 chars.
ALTER TABLE public.accounts ALTER COLUMN name TYPE varchar(255);
