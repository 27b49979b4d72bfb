CREATE TABLE t3 (id integer PRIMARY KEY, user_id integer REFERENCES users (id));
