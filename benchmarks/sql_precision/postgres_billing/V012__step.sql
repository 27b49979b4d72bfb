DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'locale') THEN ALTER TABLE accounts ADD COLUMN locale text; END IF; END $$;
