-- INV-17 (ochen): customer returns get their own movement reason.
ALTER TABLE `stock_movements`
  MODIFY COLUMN `reason` ENUM('receipt','pick','transfer','adjustment','return') NOT NULL;
