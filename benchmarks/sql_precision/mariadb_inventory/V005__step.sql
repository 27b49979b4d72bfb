-- INV-5 (lmartin): movement journal (append-only).
CREATE TABLE `stock_movements` (
  `id`               INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `product_id`       INT UNSIGNED NOT NULL,
  `from_location_id` INT UNSIGNED NULL,
  `to_location_id`   INT UNSIGNED NULL,
  `quantity`         INT          NOT NULL,
  `reason`           ENUM('receipt','pick','transfer','adjustment') NOT NULL,
  `note`             VARCHAR(255) NULL,
  `moved_at`         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_movements_product` (`product_id`, `moved_at`),
  CONSTRAINT `fk_movements_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
