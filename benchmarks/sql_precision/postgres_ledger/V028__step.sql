-- LEDG-66 (rpatel): speed up the "posted this month" report.
CREATE INDEX IF NOT EXISTS journal_entries_posted_at_idx
    ON public.journal_entries (posted_at)
    WHERE status = 'posted';

COMMENT ON INDEX public.journal_entries_posted_at_idx IS 'Used by the monthly close report.';
