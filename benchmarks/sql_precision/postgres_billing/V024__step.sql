ALTER TABLE accounts ADD COLUMN marketing_opt_in boolean;
