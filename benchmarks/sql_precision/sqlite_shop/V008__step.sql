CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE product_tags (product_id INTEGER NOT NULL REFERENCES products (id), tag_id INTEGER NOT NULL REFERENCES tags (id), PRIMARY KEY (product_id, tag_id));
