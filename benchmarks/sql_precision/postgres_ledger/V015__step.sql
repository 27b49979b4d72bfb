-- LEDG-33 (jdoe): four-eyes approval workflow, new status between draft and posted.
-- (must be in its own migration: the new value cannot be used in the same transaction)
ALTER TYPE public.entry_status ADD VALUE IF NOT EXISTS 'pending_approval' BEFORE 'posted';
