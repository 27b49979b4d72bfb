-- LEDG-72 (mkowalski): description is replaced by memo.
ALTER TABLE public.journal_entries DROP COLUMN IF EXISTS description;
