COMMENT ON TABLE accounts IS 'customer accounts';
CREATE INDEX subscriptions_account_idx ON subscriptions (account_id);
