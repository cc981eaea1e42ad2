-- The dashboard's past months (issue 15 item 4): each month's rates stored once computed, so the
-- first paint after a start (or after the process cache expired) reads 11 rows instead of
-- recomputing 11 months over every ticket. Written by the jobs (app_dashboard_warm) for the
-- unfiltered dashboard; a month is recomputed when its row is older than a day.
CREATE TABLE dashboard_months (
    month TEXT NOT NULL,
    filter_key TEXT NOT NULL,
    figures TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (month, filter_key)
);
