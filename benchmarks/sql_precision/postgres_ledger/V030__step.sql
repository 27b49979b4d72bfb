-- LEDG-70 (jdoe): reversals replace voiding; step 1, add the enum value.
ALTER TYPE public.entry_status ADD VALUE IF NOT EXISTS 'reversed';
