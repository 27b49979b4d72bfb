UPDATE companies SET size_band = 1 WHERE size_band IS NULL;
