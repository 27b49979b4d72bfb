-- LEDG-85 (spark): monthly totals per account for the dashboard.
CREATE TABLE public.account_monthly_totals (
    account_id   bigint        NOT NULL REFERENCES public.accounts (id),
    month        date          NOT NULL,
    debit_total  numeric(18,4) NOT NULL DEFAULT 0,
    credit_total numeric(18,4) NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, month)
);

-- initial load from history
INSERT INTO public.account_monthly_totals (account_id, month, debit_total, credit_total)
SELECT p.account_id,
       date_trunc('month', je.posted_at)::date,
       sum(CASE WHEN p.direction = 'D' THEN p.amount ELSE 0 END),
       sum(CASE WHEN p.direction = 'C' THEN p.amount ELSE 0 END)
FROM public.postings p
JOIN public.journal_entries je ON je.id = p.entry_id
WHERE je.status = 'posted'
GROUP BY p.account_id, date_trunc('month', je.posted_at)::date;
