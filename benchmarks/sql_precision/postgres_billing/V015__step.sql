ALTER TABLE subscriptions ADD COLUMN ended_on date;
ALTER TABLE subscriptions ADD CONSTRAINT ended_after_start CHECK (ended_on IS NULL OR ended_on >= started_on);
