-- Issue 13 item 5: chargeable on-site work needs an accepted quote before the visit is
-- booked (WF-20) and a chargeable ticket's close needs the charge told (R-060). Both guards
-- are on unless the company switched them off: the seeded defaults of 0026 are turned on
-- where no user has changed them.
UPDATE settings SET value = 'true', version = version + 1, updated_at = '2026-12-06T00:00:00Z'
 WHERE key IN ('quote_before_visit', 'charge_told_before_close') AND updated_by IS NULL;
