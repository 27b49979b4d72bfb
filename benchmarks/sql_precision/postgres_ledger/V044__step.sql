-- LEDG-92 (tnguyen): deleting a journal entry should take its postings with it (drafts only,
-- enforced in the service). Re-create the FK under the new naming convention.
ALTER TABLE public.postings DROP CONSTRAINT IF EXISTS postings_entry_fk;
ALTER TABLE public.postings
    ADD CONSTRAINT fk_postings_entry FOREIGN KEY (entry_id)
    REFERENCES public.journal_entries (id) ON DELETE CASCADE;
