-- INV-48 (ochen): reservations can now come from the B2B portal as well as the webshop.
ALTER TABLE `reservations` ADD COLUMN `channel` VARCHAR(32) NOT NULL DEFAULT 'web' AFTER `order_ref`;
