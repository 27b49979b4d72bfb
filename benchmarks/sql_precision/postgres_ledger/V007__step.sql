-- LEDG-11 (rpatel): documentation for the data team. No functional change.
COMMENT ON TABLE public.journal_entries IS 'One row per business transaction; lines live in postings.';
COMMENT ON COLUMN public.postings.direction IS 'D = debit, C = credit';
COMMENT ON COLUMN public.postings.amount IS 'Always positive; sign is given by direction.';
