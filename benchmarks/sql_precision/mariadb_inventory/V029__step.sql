-- INV-46 (pvarga): description now lives in product_descriptions.
ALTER TABLE `products` DROP COLUMN `description`;
