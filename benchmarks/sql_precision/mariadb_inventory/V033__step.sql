-- INV-54 (lmartin): nightly summary table for the ops dashboard; initial load from stock_levels.
CREATE TABLE `warehouse_stock_summary` (
  `warehouse_id` INT UNSIGNED  NOT NULL,
  `product_id`   INT UNSIGNED  NOT NULL,
  `on_hand`      DECIMAL(14,3) NOT NULL DEFAULT 0,
  `computed_at`  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`warehouse_id`, `product_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `warehouse_stock_summary` (`warehouse_id`, `product_id`, `on_hand`)
SELECT l.`warehouse_id`, s.`product_id`, SUM(s.`quantity`)
FROM `stock_levels` s
JOIN `locations` l ON l.`id` = s.`location_id`
GROUP BY l.`warehouse_id`, s.`product_id`;
