ALTER TABLE contacts DROP INDEX uq_contacts_email;
ALTER TABLE contacts ADD UNIQUE KEY uq_contacts_company_email (company_id, email);
