-- INV-13 (pvarga): shipping weight and free-form attributes from the PIM.
ALTER TABLE `products`
  ADD COLUMN `weight_grams` INT UNSIGNED NULL,
  ADD COLUMN `attributes` JSON NULL;
