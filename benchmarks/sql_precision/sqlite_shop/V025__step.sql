DELETE FROM settings;
