-- LEDG-70 (jdoe): step 2, rewrite voided entries as reversed.
UPDATE public.journal_entries
SET status = 'reversed'
WHERE status = 'void';
