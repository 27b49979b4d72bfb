-- INV-21 (pvarga): PIM sends product names up to 255 characters.
ALTER TABLE `products` MODIFY COLUMN `name` VARCHAR(255) NOT NULL;
