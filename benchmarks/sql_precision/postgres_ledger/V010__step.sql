-- LEDG-18 (mkowalski): link entries to a fiscal period (nullable until the backfill job has run).
ALTER TABLE public.journal_entries
    ADD COLUMN period_id integer REFERENCES public.fiscal_periods (id);

CREATE INDEX journal_entries_period_idx ON public.journal_entries (period_id);
