-- INV-8 (ochen): seed data for the demo / staging environments.
INSERT INTO `products` (`sku`, `name`, `description`, `unit_price`) VALUES
  ('PAL-EUR-01', 'Euro pallet 1200x800', 'Standard EPAL pallet', 12.50),
  ('BOX-S-100',  'Carton box S (100 pcs)', 'Single wall, 300x200x150', 39.90),
  ('TAPE-48',    'Packing tape 48mm', NULL, 2.15);

INSERT INTO `locations` (`warehouse_id`, `aisle`, `rack`, `bin`)
SELECT w.`id`, 'A', '01', '01' FROM `warehouses` w
UNION ALL
SELECT w.`id`, 'A', '01', '02' FROM `warehouses` w;

-- opening stock: 100 of everything in the first bin of each site
INSERT INTO `stock_levels` (`product_id`, `location_id`, `quantity`)
SELECT p.`id`, l.`id`, 100
FROM `products` p
JOIN `locations` l ON l.`aisle` = 'A' AND l.`rack` = '01' AND l.`bin` = '01';

INSERT INTO `stock_movements` (`product_id`, `to_location_id`, `quantity`, `reason`, `note`)
SELECT s.`product_id`, s.`location_id`, s.`quantity`, 'receipt', 'opening balance'
FROM `stock_levels` s;
