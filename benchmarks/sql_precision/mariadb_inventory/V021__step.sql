-- INV-33 (pvarga): step 2: everything discontinued so far is archived.
UPDATE `products`
SET `status` = 'archived'
WHERE `status` = 'discontinued';
