-- INV-60 (ochen): deleting a supplier should not be blocked by its products; re-create the FK
-- with ON DELETE SET NULL under a new name.
ALTER TABLE `products` DROP FOREIGN KEY `fk_products_supplier`;
ALTER TABLE `products`
  ADD CONSTRAINT `fk_products_supplier_id` FOREIGN KEY (`supplier_id`)
  REFERENCES `suppliers` (`id`) ON DELETE SET NULL;
