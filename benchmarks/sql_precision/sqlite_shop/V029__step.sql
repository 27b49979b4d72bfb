ALTER TABLE shipments ADD COLUMN weight_g INTEGER CHECK (weight_g > 0);
