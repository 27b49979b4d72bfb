-- INV-10 (ochen): suppliers.
CREATE TABLE IF NOT EXISTS `suppliers` (
  `id`            INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `name`          VARCHAR(100) NOT NULL,
  `contact_email` VARCHAR(100) NULL,
  `phone`         VARCHAR(32)  NULL,
  `created_at`    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
