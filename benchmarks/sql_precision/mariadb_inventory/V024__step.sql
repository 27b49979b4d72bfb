-- INV-39 (dkumar): carriers need the local timezone of each site for cut-off times.
ALTER TABLE `warehouses` ADD COLUMN `timezone` VARCHAR(64) NOT NULL AFTER `country`;
