-- LEDG-27 (jdoe): generic audit trail for journal entry changes.
CREATE TABLE IF NOT EXISTS public.audit_log (
    id          bigserial   PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    "table"     text        NOT NULL,
    "action"    text        NOT NULL,
    row_id      bigint,
    payload     jsonb
);

CREATE OR REPLACE FUNCTION public.audit_journal_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.audit_log ("table", "action", row_id, payload)
    VALUES (TG_TABLE_NAME, TG_OP, NEW.id, to_jsonb(NEW));
    RETURN NEW;
END;
$$;

CREATE TRIGGER journal_entries_audit
    AFTER INSERT OR UPDATE ON public.journal_entries
    FOR EACH ROW EXECUTE FUNCTION public.audit_journal_entry();
