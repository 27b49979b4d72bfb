-- INV-28 (dkumar): contract step: quantity_dec becomes the one and only `quantity`.
DROP TRIGGER IF EXISTS `trg_stock_levels_qty_bi`;
DROP TRIGGER IF EXISTS `trg_stock_levels_qty_bu`;
ALTER TABLE `stock_levels` DROP COLUMN `quantity`;
ALTER TABLE `stock_levels` CHANGE COLUMN `quantity_dec` `quantity` DECIMAL(12,3) NOT NULL DEFAULT 0.000;
