-- LEDG-40 (mkowalski): FX postings need 4 decimal places.
-- Expand step: new column + trigger keeping it in sync with the old one.
-- App code keeps writing "amount"; the trigger copies it.
ALTER TABLE public.postings ADD COLUMN amount_precise numeric(18,4);

CREATE OR REPLACE FUNCTION public.postings_sync_amount() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.amount_precise IS NULL THEN
            NEW.amount_precise := NEW.amount;
        END IF;
    ELSIF NEW.amount IS DISTINCT FROM OLD.amount THEN
        NEW.amount_precise := NEW.amount;
    ELSIF NEW.amount_precise IS DISTINCT FROM OLD.amount_precise THEN
        NEW.amount := round(NEW.amount_precise, 2);
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER postings_sync_amount_trg
    BEFORE INSERT OR UPDATE ON public.postings
    FOR EACH ROW EXECUTE FUNCTION public.postings_sync_amount();
