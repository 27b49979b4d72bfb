CREATE INDEX users_age ON users (age);
