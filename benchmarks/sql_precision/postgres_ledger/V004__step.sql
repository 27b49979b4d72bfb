-- LEDG-4 (akim): journal entries (header rows).
CREATE TYPE public.entry_status AS ENUM ('draft', 'posted', 'void');

CREATE TABLE public.journal_entries (
    id           bigserial   PRIMARY KEY,
    external_ref uuid        NOT NULL DEFAULT gen_random_uuid(),
    description  text,
    status       public.entry_status NOT NULL DEFAULT 'draft',
    posted_at    timestamptz,
    created_at   timestamptz DEFAULT now()
);
