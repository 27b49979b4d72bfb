-- The example service's first release: customers and their orders.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    email varchar(200) NOT NULL,
    name varchar(100),
    created_at timestamp
);

CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    note text
);
