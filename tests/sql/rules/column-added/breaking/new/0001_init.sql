CREATE TABLE users (
    id integer PRIMARY KEY,
    email varchar(100) NOT NULL,
    name varchar(50),
    status varchar(20) DEFAULT 'new',
    age integer
);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    user_id integer,
    quantity integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email_key ON users (email);
