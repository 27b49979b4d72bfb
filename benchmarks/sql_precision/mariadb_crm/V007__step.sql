ALTER TABLE contacts DROP FOREIGN KEY fk_contacts_company;
ALTER TABLE contacts ADD CONSTRAINT contacts_company_fk FOREIGN KEY (company_id) REFERENCES companies (id);
