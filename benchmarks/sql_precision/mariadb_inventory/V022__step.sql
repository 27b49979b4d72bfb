-- INV-35 (dkumar): rename FK to the convention fk_<table>_<ref>, and make deletes explicit.
ALTER TABLE `stock_levels` DROP FOREIGN KEY `fk_stock_location`;
ALTER TABLE `stock_levels`
  ADD CONSTRAINT `fk_stock_levels_location` FOREIGN KEY (`location_id`)
  REFERENCES `locations` (`id`) ON DELETE RESTRICT;
