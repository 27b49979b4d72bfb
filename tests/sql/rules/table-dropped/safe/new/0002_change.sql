CREATE TABLE archive (id integer PRIMARY KEY);
