-- LEDG-79 (mkowalski): supporting documents attached to journal entries.
CREATE TABLE public.attachments (
    id         uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    entry_id   bigint       NOT NULL REFERENCES public.journal_entries (id) ON DELETE CASCADE,
    filename   varchar(255) NOT NULL,
    content    bytea        NOT NULL,
    sha256     bytea,
    created_at timestamptz  NOT NULL DEFAULT now()
);

-- compute the checksum server-side so clients cannot lie about it
CREATE OR REPLACE FUNCTION public.attachments_checksum() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.sha256 := digest(NEW.content, 'sha256');
    RETURN NEW;
END;
$$;

CREATE TRIGGER attachments_checksum_trg
    BEFORE INSERT OR UPDATE OF content ON public.attachments
    FOR EACH ROW EXECUTE FUNCTION public.attachments_checksum();
