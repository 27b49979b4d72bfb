-- LEDG-40 (mkowalski): contract step. amount_precise fully backfilled and verified in prod,
-- drop the old 2dp column and move the precise one into its place.
DROP TRIGGER IF EXISTS postings_sync_amount_trg ON public.postings;
DROP FUNCTION IF EXISTS public.postings_sync_amount();
ALTER TABLE public.postings DROP COLUMN amount;
ALTER TABLE public.postings RENAME COLUMN amount_precise TO amount;
ALTER TABLE public.postings ALTER COLUMN amount SET NOT NULL;
