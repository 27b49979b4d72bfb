RENAME TABLE notes TO deal_notes;
