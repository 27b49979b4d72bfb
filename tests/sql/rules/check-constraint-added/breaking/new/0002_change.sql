ALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (quantity > 0);
