ALTER TABLE contacts CHANGE phone phone_number VARCHAR(30) NULL;
