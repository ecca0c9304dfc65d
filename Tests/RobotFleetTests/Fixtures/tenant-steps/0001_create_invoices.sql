-- robot:name Create invoices table (v1.0 Update)
-- robot:critical
CREATE TABLE IF NOT EXISTS invoices (id bigserial PRIMARY KEY, amount_cents bigint NOT NULL);
