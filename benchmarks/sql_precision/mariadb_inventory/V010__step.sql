-- INV-15 (pvarga): advisory lock table used by the allocation worker.
CREATE TABLE `SKU_LOCK` (
  `sku`        VARCHAR(64) NOT NULL,
  `locked_by`  VARCHAR(64) NOT NULL,
  `locked_at`  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `expires_at` DATETIME(3) NOT NULL,
  PRIMARY KEY (`sku`),
  KEY `idx_sku_lock_expires` (`expires_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
