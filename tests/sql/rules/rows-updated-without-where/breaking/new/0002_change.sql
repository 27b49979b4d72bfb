UPDATE users SET status = 'active';
