CREATE TABLE t2 (id integer PRIMARY KEY, n integer CHECK (n > 0));
