-- INV-50 (dkumar): receiving more than was ordered is no longer allowed (finance request).
ALTER TABLE `purchase_order_lines` DROP CONSTRAINT `chk_pol_qty`;
ALTER TABLE `purchase_order_lines`
  ADD CONSTRAINT `chk_pol_qty` CHECK (`qty_ordered` > 0 AND `qty_received` <= `qty_ordered`);
