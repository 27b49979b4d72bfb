-- INV-33 (pvarga): step 3: nothing uses 'discontinued' any more, drop it from the enum.
ALTER TABLE `products`
  MODIFY COLUMN `status` ENUM('active','inactive','archived') NOT NULL DEFAULT 'active';
