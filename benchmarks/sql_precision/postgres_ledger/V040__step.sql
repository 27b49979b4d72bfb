-- LEDG-70 (jdoe): step 3, drop 'void' from entry_status (postgres cannot drop enum values,
-- so swap the type). The partial index compares against the old type and must be recreated.
DROP INDEX IF EXISTS public.journal_entries_posted_at_idx;
CREATE TYPE public.entry_status_v2 AS ENUM ('draft', 'pending_approval', 'posted', 'reversed');
ALTER TABLE public.journal_entries
    ALTER COLUMN status DROP DEFAULT,
    ALTER COLUMN status TYPE public.entry_status_v2 USING status::text::public.entry_status_v2,
    ALTER COLUMN status SET DEFAULT 'draft';
DROP TYPE public.entry_status;
ALTER TYPE public.entry_status_v2 RENAME TO entry_status;
CREATE INDEX journal_entries_posted_at_idx ON public.journal_entries (posted_at) WHERE status = 'posted';
