-- LEDG-40 (mkowalski): backfill amount_precise for rows written before the trigger existed.
UPDATE public.postings
SET amount_precise = amount
WHERE amount_precise IS NULL;
