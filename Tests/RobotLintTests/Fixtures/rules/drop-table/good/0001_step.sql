-- robot:allow drop-table orders_old was emptied and archived in v1.3
DROP TABLE IF EXISTS orders_old;
