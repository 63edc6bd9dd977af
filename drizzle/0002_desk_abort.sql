-- desk_abort(reason): fails the statement, and so its transaction, with SQLSTATE DA001.
-- Pipelined transactions (BEGIN, statements and COMMIT sent together) use it to refuse a
-- commit from inside SQL when a condition the caller would otherwise check in between does
-- not hold; the caller sees DA001 and takes its slower path. Nothing else raises DA001.
CREATE OR REPLACE FUNCTION desk_abort(reason text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION 'desk_abort: %', reason USING ERRCODE = 'DA001';
END
$$;
