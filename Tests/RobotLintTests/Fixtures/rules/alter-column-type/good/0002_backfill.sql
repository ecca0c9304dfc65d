UPDATE tenants SET score_wide = score WHERE score_wide IS NULL AND score IS NOT NULL;
