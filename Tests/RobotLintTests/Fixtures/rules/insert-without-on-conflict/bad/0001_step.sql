-- expect insert-without-on-conflict 2:1
INSERT INTO oauth_providers (slug) VALUES ('google');
