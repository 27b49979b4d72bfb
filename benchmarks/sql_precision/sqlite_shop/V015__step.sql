CREATE TRIGGER orders_audit AFTER UPDATE ON orders BEGIN INSERT INTO audit_log (entity, entity_id) VALUES ('orders', NEW.id); END;
