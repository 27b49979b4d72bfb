ALTER TABLE accounts ALTER COLUMN email TYPE varchar(255);
