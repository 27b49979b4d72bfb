-- LEDG-68 (tnguyen): created_at/occurred_at were nullable by accident on some tables.
-- Loop over every nullable audit timestamp in public and tighten it.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT table_schema, table_name, column_name
        FROM information_schema.columns
        WHERE table_schema = 'public'
          AND column_name IN ('created_at', 'occurred_at')
          AND is_nullable = 'YES'
    LOOP
        EXECUTE format('UPDATE %I.%I SET %I = now() WHERE %I IS NULL',
                       r.table_schema, r.table_name, r.column_name, r.column_name);
        EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET NOT NULL',
                       r.table_schema, r.table_name, r.column_name);
    END LOOP;
END
$$;
