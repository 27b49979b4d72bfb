-- INV-66 (lmartin): document the movement journal for the BI team; indexes for return analysis
-- and product search (both were doing full scans).
ALTER TABLE `stock_movements` COMMENT = 'Append-only journal of every stock movement. Never UPDATE rows.';
CREATE INDEX `idx_stock_movements_reason` ON `stock_movements` (`reason`, `moved_at`);
CREATE INDEX `idx_products_name` ON `products` (`name`);
