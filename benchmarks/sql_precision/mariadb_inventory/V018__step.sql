-- INV-28 (dkumar): backfill quantity_dec for pre-trigger rows.
UPDATE `stock_levels`
SET `quantity_dec` = `quantity`
WHERE `quantity_dec` IS NULL;
