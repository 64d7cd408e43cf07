package org.jodb.postgres;

/**
 * The server-side half of a vote: the PL/pgSQL function {@code vote} that {@link SchemaSetup} creates in the
 * schema, and the statement that calls it. One call takes the commit lock, chooses the tid, checks every
 * record's serial and every read check against the committed state, and writes the revisions and the
 * transaction's row: a commit's vote costs one round trip instead of one per step. SCHEMA.md ("A commit")
 * describes it step by step.
 *
 * <p>The records come either as three arrays (oids, serials, bytes: a transaction small enough to be held in
 * the client's memory) or from {@code object_staging} under a stage key (a large one, sent ahead in batches;
 * the newest record of each oid wins). On a conflict the function either raises {@link #CONFLICT} (the caller
 * asked for the fast path and will ask again) or returns the conflicts, with the revision each writer read, the
 * committed one and its own, so that the caller can resolve them; either way it writes nothing then. On
 * success it returns one row: the tid. Given a channel, it notifies there (delivered at COMMIT) {@code "<tid>
 * <previous tid> <oid>:<record in hex> ..."} for a small commit, else {@code "<tid> <previous tid> <oid> <oid>
 * ..."}: the listeners of other processes learn the commit, what it wrote and for a small one its records,
 * without a query ({@link CommitListener}).
 *
 * <p>Before any check it looks at the oids the records refer to ({@code p_refs}) against {@code removed_objects},
 * the objects packs removed: a reference to one is refused ({@link #REFERS_TO_REMOVED}), and a caller that named
 * none while that table has rows is told to name them ({@link #REFERENCES_NEEDED}); either way nothing is
 * written. The commit lock orders this check with each batch a pack removes.
 */
final class VoteFunction {
    /** SQLSTATE raised by a vote that met a conflict in the fast path: nothing was written. */
    static final String CONFLICT = "JDC01";
    /** SQLSTATE raised when the server holds fewer staged records than the client sent (they were lost). */
    static final String STAGED_LOST = "JDS01";
    /**
     * SQLSTATE raised when a pack has removed objects and the caller did not name the oids its records refer to
     * (nothing written): it must call again with them.
     */
    static final String REFERENCES_NEEDED = "JDR00";
    /** SQLSTATE raised when a record refers to an object a pack removed (nothing written); the message names it. */
    static final String REFERS_TO_REMOVED = "JDR01";
    /** SQLSTATE raised when a copied transaction's tid is not above the last one. */
    static final String COPY_TOO_OLD = "JDT01";

    /**
     * Most oids a commit's notification names (with its tid and the tid before it); a commit that wrote more, or
     * whose records were staged, notifies its tid alone. A notification's payload stays under PostgreSQL's 8,000
     * bytes.
     */
    static final int MAX_NOTIFIED_OIDS = 300;
    /**
     * Most records a commit's notification carries, and most bytes of them (sent in hex): a commit within both
     * notifies {@code "<tid> <previous tid> <oid>:<hex> ..."}, so that other processes' record caches hold what
     * it wrote ({@link RecordCache}). At most 100 oids of 20 characters and 5,000 hex digits stay under
     * PostgreSQL's 8,000 bytes.
     */
    static final int MAX_NOTIFIED_RECORDS = 100;
    static final int MAX_NOTIFIED_BYTES = 2_500;

    /** Whether {@code e} is the function's refusal of a vote's references (they must be named, or one is removed). */
    static boolean refusedReferences(java.sql.SQLException e) {
        return REFERENCES_NEEDED.equals(e.getSQLState()) || REFERS_TO_REMOVED.equals(e.getSQLState());
    }

    /** The function's argument types, in order (for {@code to_regprocedure}). */
    static final String ARGUMENTS = "bigint, text, bigint[], bigint[], bytea[], bigint, bigint, bigint[], bigint[],"
            + " bigint, bigint, bigint, text, text, bigint, text, boolean, bigint[]";

    /** The statement that calls it: parameters in the order of {@link #create}'s signature. */
    final String call;

    private final String schema;

    VoteFunction(String quotedSchema) {
        this.schema = quotedSchema;
        this.call = "SELECT * FROM " + quotedSchema + ".vote(?, ?, ?::bigint[], ?::bigint[], ?::bytea[], ?, ?,"
                + " ?::bigint[], ?::bigint[], ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint[])";
    }

    /** The records the transaction writes: the arrays, or the newest staged record of each oid. */
    private String written() {
        return "SELECT u.oid, u.serial, u.data FROM unnest(p_oids, p_serials, p_records) AS u(oid, serial, data)"
                + " UNION ALL (SELECT DISTINCT ON (s.oid) s.oid, s.serial, s.data FROM " + schema
                + ".object_staging s WHERE s.stage = p_stage ORDER BY s.oid, s.seq DESC)";
    }

    private String current(String alias) {
        return "(SELECT max(o.tid) FROM " + schema + ".object_state o WHERE o.oid = " + alias + ".oid)";
    }

    private String revision(String oid, String tid) {
        return "(SELECT o.data FROM " + schema + ".object_state o WHERE o.oid = " + oid + " AND o.tid = " + tid + ")";
    }

    /** CREATE OR REPLACE FUNCTION: run by the schema's owner at creation (and upgrade from format 1). */
    String create() {
        String objects = schema + ".object_state";
        String writeConflicts = "SELECT w.oid, w.serial, w.data, " + current("w") + " AS now FROM (" + written()
                + ") w";
        String checkConflicts = "SELECT k.oid, k.serial, " + current("k") + " AS now"
                + " FROM unnest(p_check_oids, p_check_serials) AS k(oid, serial) WHERE NOT EXISTS (SELECT 1 FROM "
                + schema + ".object_staging s WHERE s.stage = p_stage AND s.oid = k.oid)";
        return "CREATE OR REPLACE FUNCTION " + schema + ".vote("
                + "p_lock_key bigint, p_lock_wait text, p_oids bigint[], p_serials bigint[], p_records bytea[],"
                + " p_stage bigint, p_staged bigint, p_check_oids bigint[], p_check_serials bigint[],"
                + " p_clock_tid bigint, p_copy_tid bigint, p_time_millis bigint, p_username text, p_note text,"
                + " p_commit_id bigint, p_channel text, p_report boolean, p_refs bigint[])\n"
                + "RETURNS TABLE (r_tid bigint, r_oid bigint, r_serial bigint, r_now bigint, r_read_check boolean,"
                + " r_read_data bytea, r_now_data bytea, r_own_data bytea, r_last bigint)\n"
                // One plan per statement for the session: left to choose, the server planned the conflict query
                // afresh at every call (its plan for a transaction without staged records is cheaper than the
                // generic one, which also probes object_staging), and planning cost more than running it. No JIT
                // compilation either, whatever the connection's settings (DriverPool.SESSION_SETTINGS says why).
                + "LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET jit = off AS $vote$\n"
                + "DECLARE\n"
                + "  v_last bigint;\n"
                + "  v_tid bigint;\n"
                + "  v_staged bigint;\n"
                + "  v_removed bigint;\n"
                + "BEGIN\n"
                // the wait limit is for this database transaction only; the caller looks for abandoned prepared
                // transactions between waits
                + "  PERFORM set_config('lock_timeout', p_lock_wait, true);\n"
                + "  PERFORM pg_advisory_xact_lock(p_lock_key);\n"
                + "  SELECT coalesce(max(t.tid), 0) INTO v_last FROM " + schema + ".transactions t;\n"
                // under the commit lock, which a pack's removal of a batch of objects also holds: either that
                // removal sees this commit's references, or this check sees the removed oids
                + "  IF p_refs IS NULL THEN\n"
                + "    IF EXISTS (SELECT 1 FROM " + schema + ".removed_objects) THEN\n"
                + "      RAISE EXCEPTION 'a pack removed objects: name the oids the records refer to' USING ERRCODE = '"
                + REFERENCES_NEEDED + "';\n"
                + "    END IF;\n"
                + "  ELSE\n"
                + "    SELECT r.oid INTO v_removed FROM " + schema + ".removed_objects r WHERE r.oid = ANY (p_refs)"
                + " LIMIT 1;\n"
                + "    IF FOUND THEN\n"
                + "      RAISE EXCEPTION '%', v_removed USING ERRCODE = '" + REFERS_TO_REMOVED + "';\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  IF p_stage IS NOT NULL THEN\n"
                + "    SELECT count(*) INTO v_staged FROM " + schema + ".object_staging s WHERE s.stage = p_stage;\n"
                + "    IF v_staged <> p_staged THEN\n"
                + "      RAISE EXCEPTION 'the server holds % of the % records staged for this transaction', v_staged,"
                + " p_staged USING ERRCODE = '" + STAGED_LOST + "';\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  IF p_copy_tid IS NOT NULL THEN\n"
                + "    IF p_copy_tid <= v_last THEN\n"
                + "      RAISE EXCEPTION 'the last transaction is %', v_last USING ERRCODE = '" + COPY_TOO_OLD + "';\n"
                + "    END IF;\n"
                + "    v_tid := p_copy_tid;\n"
                + "  ELSE\n"
                + "    v_tid := greatest(v_last + 1, p_clock_tid);\n"
                + "    IF p_report THEN\n"
                + "      RETURN QUERY SELECT NULL::bigint, c.oid, c.serial, c.now, false,"
                + " CASE WHEN c.serial <> 0 AND c.now IS NOT NULL THEN " + revision("c.oid", "c.serial") + " END,"
                + " CASE WHEN c.serial <> 0 AND c.now IS NOT NULL THEN " + revision("c.oid", "c.now") + " END,"
                + " c.data, NULL::bigint FROM (" + writeConflicts + ") c WHERE coalesce(c.now, 0) <> c.serial"
                + " UNION ALL SELECT NULL::bigint, k.oid, k.serial, k.now, true, NULL::bytea, NULL::bytea,"
                + " NULL::bytea, NULL::bigint FROM (" + checkConflicts + ") k WHERE coalesce(k.now, 0) <> k.serial;\n"
                + "      IF FOUND THEN\n"
                + "        RETURN;\n"
                + "      END IF;\n"
                + "    ELSIF EXISTS (SELECT 1 FROM (" + writeConflicts + ") c WHERE coalesce(c.now, 0) <> c.serial)"
                + " OR EXISTS (SELECT 1 FROM (" + checkConflicts + ") k WHERE coalesce(k.now, 0) <> k.serial) THEN\n"
                + "      RAISE EXCEPTION 'a record''s serial is not the committed one' USING ERRCODE = '"
                + CONFLICT + "';\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  INSERT INTO " + objects + " (oid, tid, data) SELECT w.oid, v_tid, w.data FROM (" + written()
                + ") w;\n"
                + "  IF p_stage IS NOT NULL THEN\n"
                + "    DELETE FROM " + schema + ".object_staging s WHERE s.stage = p_stage;\n"
                + "  END IF;\n"
                + "  INSERT INTO " + schema + ".transactions (tid, time_millis, username, note, commit_id)"
                + " VALUES (v_tid, p_time_millis, p_username, p_note, p_commit_id);\n"
                // delivered at COMMIT; a prepared transaction may not notify (the caller does it after COMMIT
                // PREPARED)
                + "  IF p_channel IS NOT NULL AND p_stage IS NULL AND cardinality(p_oids) <= " + MAX_NOTIFIED_RECORDS
                + " AND (SELECT coalesce(sum(octet_length(r)), 0) FROM unnest(p_records) AS r) <= "
                + MAX_NOTIFIED_BYTES + " THEN\n"
                + "    PERFORM pg_notify(p_channel, v_tid || ' ' || v_last || coalesce((SELECT string_agg(' ' || u.oid"
                + " || ':' || encode(u.data, 'hex'), '') FROM unnest(p_oids, p_records) AS u(oid, data)), ''));\n"
                + "  ELSIF p_channel IS NOT NULL AND p_stage IS NULL AND cardinality(p_oids) <= " + MAX_NOTIFIED_OIDS
                + " THEN\n"
                + "    PERFORM pg_notify(p_channel, v_tid || ' ' || v_last || ' ' || array_to_string(p_oids, ' '));\n"
                + "  ELSIF p_channel IS NOT NULL THEN\n"
                + "    PERFORM pg_notify(p_channel, v_tid::text);\n"
                + "  END IF;\n"
                + "  RETURN QUERY SELECT v_tid, NULL::bigint, NULL::bigint, NULL::bigint, NULL::boolean, NULL::bytea,"
                + " NULL::bytea, NULL::bytea, v_last;\n"
                + "END\n"
                + "$vote$";
    }
}
