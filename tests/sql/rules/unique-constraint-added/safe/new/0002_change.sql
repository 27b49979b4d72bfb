CREATE TABLE tags (id integer PRIMARY KEY, label text UNIQUE);
