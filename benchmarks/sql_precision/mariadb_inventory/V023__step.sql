-- INV-37 (ochen): rebuild stock_movements with the warehouse denormalised onto the row
-- (partitioning prep). New table, copy, swap.
RENAME TABLE `stock_movements` TO `stock_movements_old`;

CREATE TABLE `stock_movements` (
  `id`               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `product_id`       INT UNSIGNED    NOT NULL,
  `warehouse_id`     INT UNSIGNED    NULL,
  `from_location_id` INT UNSIGNED    NULL,
  `to_location_id`   INT UNSIGNED    NULL,
  `quantity`         INT             NOT NULL,
  `reason`           ENUM('receipt','pick','transfer','adjustment','return') NOT NULL,
  `note`             VARCHAR(255)    NULL,
  `moved_at`         DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  KEY `idx_stock_movements_product` (`product_id`, `moved_at`),
  KEY `idx_stock_movements_warehouse` (`warehouse_id`, `moved_at`),
  CONSTRAINT `fk_stock_movements_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `stock_movements`
  (`id`, `product_id`, `warehouse_id`, `from_location_id`, `to_location_id`, `quantity`, `reason`, `note`, `moved_at`)
SELECT m.`id`, m.`product_id`, l.`warehouse_id`, m.`from_location_id`, m.`to_location_id`,
       m.`quantity`, m.`reason`, m.`note`, m.`moved_at`
FROM `stock_movements_old` m
LEFT JOIN `locations` l ON l.`id` = COALESCE(m.`to_location_id`, m.`from_location_id`);

DROP TABLE `stock_movements_old`;
