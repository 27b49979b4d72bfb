DELETE FROM orders WHERE quantity < 0;
