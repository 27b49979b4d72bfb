-- INV-46 (pvarga): long descriptions move to their own table (multi-language prep).
CREATE TABLE `product_descriptions` (
  `product_id`  INT UNSIGNED NOT NULL,
  `locale`      VARCHAR(8)   NOT NULL DEFAULT 'en',
  `body`        TEXT         NOT NULL,
  PRIMARY KEY (`product_id`, `locale`),
  CONSTRAINT `fk_product_descriptions_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO `product_descriptions` (`product_id`, `locale`, `body`)
SELECT `id`, 'en', `description`
FROM `products`
WHERE `description` IS NOT NULL;
