CREATE TABLE deals (id BIGINT AUTO_INCREMENT PRIMARY KEY, company_id INT NOT NULL, stage ENUM('lead', 'won', 'lost') NOT NULL DEFAULT 'lead', amount DECIMAL(10, 2)) ENGINE=InnoDB;
