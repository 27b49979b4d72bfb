-- INV-4 (lmartin): on-hand quantity per product and location.
CREATE TABLE `stock_levels` (
  `id`          INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `product_id`  INT UNSIGNED NOT NULL,
  `location_id` INT UNSIGNED NOT NULL,
  `quantity`    INT          NOT NULL DEFAULT 0,
  `updated_at`  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_stock_product_location` (`product_id`, `location_id`),
  CONSTRAINT `fk_stock_product`  FOREIGN KEY (`product_id`)  REFERENCES `products` (`id`),
  CONSTRAINT `fk_stock_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
