-- LEDG-72 (mkowalski): introduce "memo" to replace description (description will be dropped later).
ALTER TABLE public.journal_entries ADD COLUMN IF NOT EXISTS memo varchar(500);

UPDATE public.journal_entries
SET memo = left(description, 500)
WHERE memo IS NULL AND description IS NOT NULL;
