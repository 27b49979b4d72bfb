-- INV-1 (lmartin): warehouses.
CREATE TABLE `warehouses` (
  `id`         INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `code`       VARCHAR(16)  NOT NULL,
  `name`       VARCHAR(100) NOT NULL,
  `country`    CHAR(2)      NOT NULL,
  `is_active`  TINYINT(1)   NOT NULL DEFAULT 1,
  `created_at` DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_warehouses_code` (`code`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- the two sites we run today
INSERT INTO `warehouses` (`code`, `name`, `country`) VALUES
  ('RTM1', 'Rotterdam DC', 'NL'),
  ('LYS1', 'Lyon Cross-dock', 'FR');
