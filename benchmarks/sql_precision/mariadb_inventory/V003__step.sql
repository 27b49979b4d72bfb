-- INV-3 (lmartin): storage locations (aisle / rack / bin) inside a warehouse.
CREATE TABLE `locations` (
  `id`           INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `warehouse_id` INT UNSIGNED NOT NULL,
  `aisle`        VARCHAR(8)   NOT NULL,
  `rack`         VARCHAR(8)   NOT NULL,
  `bin`          VARCHAR(8)   NOT NULL,
  `is_pickable`  BIT(1)       NOT NULL DEFAULT b'1',
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_locations_address` (`warehouse_id`, `aisle`, `rack`, `bin`),
  CONSTRAINT `fk_locations_warehouse` FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
