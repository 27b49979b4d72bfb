-- LEDG-81 (rpatel): contra accounts (e.g. accumulated depreciation).
ALTER TYPE public.account_kind ADD VALUE IF NOT EXISTS 'contra_asset' AFTER 'asset';
