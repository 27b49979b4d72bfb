-- LEDG-61 (tnguyen): rename FK to the team naming convention (fk_<table>_<column>) and
-- make the delete behaviour explicit. NOT VALID + VALIDATE avoids a long lock.
ALTER TABLE public.postings DROP CONSTRAINT IF EXISTS postings_account_fk;
ALTER TABLE public.postings
    ADD CONSTRAINT fk_postings_account FOREIGN KEY (account_id)
    REFERENCES public.accounts (id) ON DELETE RESTRICT NOT VALID;
ALTER TABLE public.postings VALIDATE CONSTRAINT fk_postings_account;
