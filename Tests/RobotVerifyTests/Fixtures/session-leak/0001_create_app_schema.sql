-- robot:name Create the app schema (v1.0 Update)
CREATE SCHEMA IF NOT EXISTS app;
