-- The audit log is tamper-evident: each row carries the SHA-256 over the previous row's
-- hash and its own content, computed in the database as it is inserted (whoever inserts),
-- under a lock that orders the chain (ids are drawn inside it). `audit_log_verify()`
-- walks the chain and returns the first row that does not match (NULL when all do): a row
-- changed or removed in the middle shows. Rows from before this migration stay unchained;
-- removing the newest rows needs an anchor kept elsewhere (the head hash, exported).
ALTER TABLE audit_log ADD COLUMN prev_hash bytea;
ALTER TABLE audit_log ADD COLUMN hash bytea;

-- The content of a row as canonical text: a JSON array (jsonb prints one way only), the
-- time as epoch seconds (independent of the session's time zone and date style).
CREATE FUNCTION audit_log_digest(prev bytea, r audit_log) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(jsonb_build_array(
        r.id, extract(epoch FROM r.at), r.actor, r.action, r.tenant, r.target, r.outcome,
        r.source, r.detail)::text, 'UTF8'))
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    prev bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('bitticket.audit_log'));
    NEW.id := nextval('audit_log_id_seq');
    SELECT hash INTO prev FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := prev;
    NEW.hash := audit_log_digest(prev, NEW);
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_verify() RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r audit_log;
    prev bytea;
    started boolean := false;
BEGIN
    FOR r IN SELECT * FROM audit_log WHERE hash IS NOT NULL ORDER BY id LOOP
        IF (started AND r.prev_hash IS DISTINCT FROM prev)
           OR r.hash IS DISTINCT FROM audit_log_digest(r.prev_hash, r) THEN
            RETURN r.id;
        END IF;
        prev := r.hash;
        started := true;
    END LOOP;
    RETURN NULL;
END
$$;
