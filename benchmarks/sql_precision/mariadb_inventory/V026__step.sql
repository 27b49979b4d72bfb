-- INV-41 (pvarga): new label printers only fit 32 characters of SKU.
ALTER TABLE `products` MODIFY COLUMN `sku` VARCHAR(32) NOT NULL;
