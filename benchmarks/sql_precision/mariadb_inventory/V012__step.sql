-- INV-19 (lmartin): purchase orders.
CREATE TABLE `purchase_orders` (
  `id`           INT UNSIGNED  NOT NULL AUTO_INCREMENT,
  `supplier_id`  INT UNSIGNED  NOT NULL,
  `warehouse_id` INT UNSIGNED  NOT NULL,
  `status`       ENUM('draft','sent','received','cancelled') NOT NULL DEFAULT 'draft',
  `ordered_at`   DATETIME(3)   NULL,
  `expected_at`  DATE          NULL,
  `total`        DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  PRIMARY KEY (`id`),
  CONSTRAINT `fk_po_supplier`  FOREIGN KEY (`supplier_id`)  REFERENCES `suppliers` (`id`),
  CONSTRAINT `fk_po_warehouse` FOREIGN KEY (`warehouse_id`) REFERENCES `warehouses` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `purchase_order_lines` (
  `id`           INT UNSIGNED  NOT NULL AUTO_INCREMENT,
  `po_id`        INT UNSIGNED  NOT NULL,
  `product_id`   INT UNSIGNED  NOT NULL,
  `qty_ordered`  INT UNSIGNED  NOT NULL,
  `qty_received` INT UNSIGNED  NOT NULL DEFAULT 0,
  `unit_cost`    DECIMAL(12,2) NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `chk_pol_qty` CHECK (`qty_ordered` > 0),
  CONSTRAINT `fk_pol_po`      FOREIGN KEY (`po_id`)      REFERENCES `purchase_orders` (`id`),
  CONSTRAINT `fk_pol_product` FOREIGN KEY (`product_id`) REFERENCES `products` (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
