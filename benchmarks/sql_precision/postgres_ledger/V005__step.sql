-- LEDG-5 (akim): postings = the debit/credit lines of a journal entry.
CREATE TABLE public.postings (
    id         bigserial     PRIMARY KEY,
    entry_id   bigint        NOT NULL,
    account_id integer       NOT NULL,
    amount     numeric(12,2) NOT NULL,
    direction  char(1)       NOT NULL CHECK (direction IN ('D', 'C')),
    CONSTRAINT postings_entry_fk   FOREIGN KEY (entry_id)   REFERENCES public.journal_entries (id),
    CONSTRAINT postings_account_fk FOREIGN KEY (account_id) REFERENCES public.accounts (id)
);

CREATE INDEX postings_entry_idx ON public.postings (entry_id);
