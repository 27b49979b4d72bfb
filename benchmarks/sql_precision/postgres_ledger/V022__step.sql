-- LEDG-52 (tnguyen): every entry must record who created it (SOX requirement).
ALTER TABLE public.journal_entries ADD COLUMN created_by uuid NOT NULL;
