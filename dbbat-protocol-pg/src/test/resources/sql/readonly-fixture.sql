CREATE TABLE t (id serial PRIMARY KEY, a text, "B" int, insert_date date);
CREATE TABLE updates (id int);
CREATE SEQUENCE s;
INSERT INTO t (a, "B", insert_date) VALUES ('x', 1, current_date), ('y', 2, NULL);
INSERT INTO updates VALUES (1);
