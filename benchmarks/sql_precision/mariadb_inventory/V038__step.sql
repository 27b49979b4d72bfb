-- INV-62 (dkumar): new site in Poznan.
INSERT INTO `warehouses` (`code`, `name`, `country`, `timezone`, `accepts_returns`)
VALUES ('POZ1', 'Poznan Returns Hub', 'PL', 'Europe/Warsaw', 1);

-- timezones for the existing sites (the column was added empty)
UPDATE `warehouses` SET `timezone` = 'Europe/Amsterdam' WHERE `code` = 'RTM1';
UPDATE `warehouses` SET `timezone` = 'Europe/Paris'     WHERE `code` = 'LYS1';
