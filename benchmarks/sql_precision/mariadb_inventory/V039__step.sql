-- INV-64 (pvarga): naming clean-up, tables are lower_snake_case plural.
RENAME TABLE `SKU_LOCK` TO `sku_locks`;
