-- INV-56 (dkumar): hazmat flag for products, returns flag for sites.
ALTER TABLE `products` ADD COLUMN `is_hazardous` BIT(1) NOT NULL DEFAULT b'0';
ALTER TABLE `warehouses` ADD COLUMN `accepts_returns` TINYINT(1) NOT NULL DEFAULT 0;
