ALTER TABLE deals MODIFY stage ENUM('lead', 'won', 'lost', 'stalled') NOT NULL DEFAULT 'lead';
