ALTER TABLE deals ADD COLUMN closed_at DATETIME NULL;
ALTER TABLE deals ADD CONSTRAINT chk_closed CHECK (closed_at IS NULL OR stage <> 'lead');
