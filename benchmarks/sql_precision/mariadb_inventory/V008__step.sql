-- INV-11 (ochen): preferred supplier per product (nullable, filled in by purchasing over time).
ALTER TABLE `products` ADD COLUMN `supplier_id` INT UNSIGNED NULL AFTER `unit_price`;
ALTER TABLE `products`
  ADD CONSTRAINT `fk_products_supplier` FOREIGN KEY (`supplier_id`) REFERENCES `suppliers` (`id`);
