-- LEDG-9 (rpatel): seed the default chart of accounts so new tenants can post immediately.
INSERT INTO public.accounts (code, name, kind, currency) VALUES
    ('1000', 'Cash',                'asset',     'USD'),
    ('1100', 'Accounts Receivable', 'asset',     'USD'),
    ('2000', 'Accounts Payable',    'liability', 'USD'),
    ('3000', 'Retained Earnings',   'equity',    'USD'),
    ('4000', 'Sales Revenue',       'income',    'USD'),
    ('5000', 'Operating Expenses',  'expense',   'USD');
