DROP INDEX products_title;
