-- INV-26 (dkumar): `bin` is a reserved-ish word in half our tooling; rename to bin_code.
ALTER TABLE `locations` CHANGE COLUMN `bin` `bin_code` VARCHAR(8) NOT NULL;
