-- INV-58 (lmartin): big framework agreements overflow DECIMAL(12,2).
ALTER TABLE `purchase_orders` MODIFY COLUMN `total` DECIMAL(14,2) NOT NULL DEFAULT 0.00;
