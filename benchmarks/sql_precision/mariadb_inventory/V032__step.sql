-- INV-52 (ochen): the order service retries; make (order_ref, product_id) idempotent.
ALTER TABLE `reservations`
  ADD UNIQUE KEY `uq_reservations_order_product` (`order_ref`, `product_id`);
