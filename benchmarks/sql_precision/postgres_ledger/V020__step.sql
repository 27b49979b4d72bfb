-- LEDG-47 (tnguyen): "name" collides with the ORM's reserved attribute; rename to display_name.
-- Guarded so it can be re-run on environments where it was applied manually.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'accounts' AND column_name = 'name'
    ) THEN
        EXECUTE format('ALTER TABLE %I.%I RENAME COLUMN %I TO %I',
                       'public', 'accounts', 'name', 'display_name');
    END IF;
END
$$;
