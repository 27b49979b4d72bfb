-- LEDG-83 (tnguyen): external_ref is used for deduplication by the bank feed, enforce it.
ALTER TABLE public.journal_entries
    ADD CONSTRAINT journal_entries_external_ref_key UNIQUE (external_ref);
