-- INV-30 (lmartin): movement ids will overflow INT UNSIGNED within a year at current volume.
ALTER TABLE `stock_movements` MODIFY COLUMN `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT;
