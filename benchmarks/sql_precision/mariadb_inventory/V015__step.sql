-- INV-24 (ochen): soft reservations made by the order service.
CREATE TABLE `reservations` (
  `id`           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `product_id`   INT UNSIGNED    NOT NULL,
  `warehouse_id` INT UNSIGNED    NOT NULL,
  `order_ref`    VARCHAR(64)     NOT NULL,
  `quantity`     INT UNSIGNED    NOT NULL,
  `status`       ENUM('held','released','consumed') NOT NULL DEFAULT 'held',
  `expires_at`   DATETIME(3)     NULL,
  `created_at`   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_reservations_product` (`product_id`, `warehouse_id`),
  CONSTRAINT `fk_reservations_product`   FOREIGN KEY (`product_id`)   REFERENCES `products` (`id`),
  CONSTRAINT `fk_reservations_warehouse` FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
