-- INV-2 (lmartin): product master.
CREATE TABLE `products` (
  `id`          INT UNSIGNED  NOT NULL AUTO_INCREMENT,
  `sku`         VARCHAR(64)   NOT NULL,
  `name`        VARCHAR(100)  NOT NULL,
  `description` TEXT          NULL,
  `unit_price`  DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  `status`      ENUM('active','discontinued') NOT NULL DEFAULT 'active',
  `created_at`  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_products_sku` (`sku`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
