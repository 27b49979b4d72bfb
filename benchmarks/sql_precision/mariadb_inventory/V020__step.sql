-- INV-33 (pvarga): product lifecycle: 'discontinued' is split into 'inactive' (can come back)
-- and 'archived' (gone for good). Step 1: accept the new values.
ALTER TABLE `products`
  MODIFY COLUMN `status` ENUM('active','discontinued','inactive','archived') NOT NULL DEFAULT 'active';
