CREATE INDEX ix_deals_stage ON deals (stage);
