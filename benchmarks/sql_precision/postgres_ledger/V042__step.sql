-- LEDG-88 (spark): follow the snake_case convention for the export table after all.
ALTER TABLE IF EXISTS public."ledgerExports" RENAME TO ledger_exports;
ALTER TABLE public.ledger_exports RENAME COLUMN "exportId" TO id;
ALTER TABLE public.ledger_exports RENAME COLUMN "requestedBy" TO requested_by;
ALTER TABLE public.ledger_exports RENAME COLUMN "createdAt" TO created_at;
