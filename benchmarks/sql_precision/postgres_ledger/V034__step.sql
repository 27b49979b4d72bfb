-- LEDG-77 (spark): async ledger exports (CSV / PDF). Table name chosen to match the exporter's model.
CREATE TABLE IF NOT EXISTS public."ledgerExports" (
    "exportId"    uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    "requestedBy" uuid        NOT NULL,
    "format"      varchar(10) NOT NULL DEFAULT 'csv',
    "payload"     bytea,
    "createdAt"   timestamptz NOT NULL DEFAULT now()
);
