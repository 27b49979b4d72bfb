-- LEDG-30 (mkowalski): free-form metadata bag for integrations.
-- Written defensively because a hotfix already added this column by hand on staging.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM information_schema.columns
        WHERE table_schema = 'public'
          AND table_name = 'journal_entries'
          AND column_name = 'metadata'
    ) THEN
        ALTER TABLE public.journal_entries ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb;
    END IF;
END
$$;
