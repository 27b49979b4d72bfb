UPDATE orders SET status = 'created' WHERE status = 'new';
