-- Issue 16 item 1: the per-day ticket counter without a row lock held to the end of every
-- intake (16 intakes at once queued on the day's ticket_counters row). One sequence per local
-- day of receipt, ticket_no_YYYYMMDD, created on the day's first intake and started after the
-- count ticket_counters holds for that day (kept by SQLite, and by PostgreSQL before this
-- version). nextval() locks nothing: a number taken by an intake that then fails is not used
-- again, so a day's numbers are unique and increasing but may have gaps.
CREATE FUNCTION shouhou_ticket_seq(d TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    seq TEXT := 'ticket_no_' || replace(d, '-', '');
    first BIGINT;
BEGIN
    IF d !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
        RAISE EXCEPTION 'not a day: %', d USING ERRCODE = '22007';
    END IF;
    IF to_regclass(seq) IS NULL THEN
        SELECT COALESCE(MAX(n), 0) + 1 INTO first FROM ticket_counters WHERE day = d;
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I START %s', seq, first);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL; -- another intake created it at the same moment and committed
        END;
    END IF;
    RETURN nextval(seq::regclass);
END
$$;
