ALTER TABLE deals ADD CONSTRAINT fk_deals_company FOREIGN KEY (company_id) REFERENCES companies (id);
