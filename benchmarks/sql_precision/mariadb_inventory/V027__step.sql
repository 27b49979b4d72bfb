-- INV-43 (ochen): cycle counts.
CREATE TABLE `cycle_counts` (
  `id`          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `location_id` INT UNSIGNED    NOT NULL,
  `counted_by`  VARCHAR(64)     NOT NULL,
  `counted_at`  DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `variance`    INT             NOT NULL DEFAULT 0,
  `details`     JSON            NULL,
  PRIMARY KEY (`id`),
  KEY `idx_cycle_counts_location` (`location_id`, `counted_at`),
  CONSTRAINT `fk_cycle_counts_location` FOREIGN KEY (`location_id`) REFERENCES `locations` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
