-- LEDG-1 (akim): bootstrap the ledger database.
-- pgcrypto gives us gen_random_uuid()/digest(), citext is for case-insensitive emails.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS citext;
