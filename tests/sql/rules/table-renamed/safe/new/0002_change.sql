CREATE TABLE purchases (id integer PRIMARY KEY);
