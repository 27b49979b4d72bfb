-- INV-28 (dkumar): loose goods (cable, liquids) need fractional quantities.
-- Expand: new DECIMAL column, kept in sync by triggers while the app still writes `quantity`.
ALTER TABLE `stock_levels` ADD COLUMN `quantity_dec` DECIMAL(12,3) NULL AFTER `quantity`;

CREATE TRIGGER `trg_stock_levels_qty_bi` BEFORE INSERT ON `stock_levels`
FOR EACH ROW SET NEW.`quantity_dec` = COALESCE(NEW.`quantity_dec`, NEW.`quantity`);

CREATE TRIGGER `trg_stock_levels_qty_bu` BEFORE UPDATE ON `stock_levels`
FOR EACH ROW SET NEW.`quantity_dec` = NEW.`quantity`;
