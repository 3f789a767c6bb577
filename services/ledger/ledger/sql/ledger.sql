-- The ledger's hot path on PostgreSQL: each command is ONE statement, run in autocommit by the
-- web process (or many of them in one transaction by the bus worker), so the account rows stay
-- locked for the function's own work and the commit, never for a client round trip.
-- The rules mirror ledger/domain.py; tests/integration/ledger/test_store_contract.py runs the same
-- scenarios on this code and on the Python store.

CREATE OR REPLACE FUNCTION ledger_amount_text(v bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v < 0 THEN '-' ELSE '' END || (abs(v) / 100)::text || '.'
         || lpad((abs(v) % 100)::text, 2, '0')
$$;

CREATE OR REPLACE FUNCTION ledger_ts(v timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(v AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- Stage one event in the outbox: ONE row for the tenants concerned (a transfer between two
-- tenants is logged in both: ``tenant`` and ``other_tenant``); the relay copies it into each
-- tenant's log with that tenant's sequence. A copy without a tenant (the network's fee account)
-- is not part of any tenant's log: a row of its own, published unsequenced. PL/pgSQL, not SQL:
-- its plan is cached for the session instead of being made again on every call.
CREATE OR REPLACE FUNCTION ledger_emit(p_name text, p_network text, p_tenants text[],
                                       p_subject text, p_data jsonb, p_corr text, p_caus text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_first text;
  v_second text;
BEGIN
  SELECT min(u.t), CASE WHEN max(u.t) <> min(u.t) THEN max(u.t) END
    INTO v_first, v_second FROM unnest(p_tenants) AS u(t);
  p_corr := coalesce(p_corr, gen_random_uuid()::text);
  IF v_first IS NOT NULL THEN
    INSERT INTO outbox (message_id, exchange, routing_key, type, source, subject, tenant,
                        other_tenant, network, correlation_id, causation_id, data, created_at,
                        sequenced)
    VALUES (gen_random_uuid()::text, 'ledger.events',
            p_network || '.' || v_first || '.' || p_name || '.v1',
            'org.trocactif.ledger.' || p_name || '.v1', '/ledger', p_subject, v_first, v_second,
            p_network, p_corr, p_caus, p_data, now(), true);
  END IF;
  IF v_first IS NULL OR array_position(p_tenants, NULL) IS NOT NULL THEN
    INSERT INTO outbox (message_id, exchange, routing_key, type, source, subject, tenant,
                        network, correlation_id, causation_id, data, created_at, sequenced)
    VALUES (gen_random_uuid()::text, 'ledger.events', p_network || '._.' || p_name || '.v1',
            'org.trocactif.ledger.' || p_name || '.v1', '/ledger', p_subject, NULL, p_network,
            p_corr, p_caus, p_data, now(), false);
  END IF;
END
$$;

-- p_payer_tenant (HTTP): the requester's tenant, which must own the payer account; otherwise
-- nothing is written and the outcome is 'not_found' (another tenant's account does not exist
-- for this requester). p_network NULL: the payer account's network. p_unit: the network's unit
-- code from the caller's cache (NULL: read here). The checks on the accounts are made on the rows
-- the locking step returns: no lookup before the locks.
DROP FUNCTION IF EXISTS ledger_transfer(uuid, text, uuid, uuid, bigint, text, text, text, boolean,
                                        timestamptz, uuid, text, text, text);
DROP FUNCTION IF EXISTS ledger_transfer(uuid, text, uuid, uuid, bigint, text, text, text, boolean,
                                        timestamptz, uuid, text, text, text, text);
DROP FUNCTION IF EXISTS ledger_transfer(uuid, text, uuid, uuid, bigint, text, text, text, boolean,
                                        timestamptz, uuid, text, text, text, text, text);
CREATE FUNCTION ledger_transfer(
    p_id uuid, p_network text, p_payer uuid, p_payee uuid, p_amount bigint, p_kind text,
    p_reference text, p_fingerprint text, p_hold boolean, p_expires_at timestamptz,
    p_reverses uuid, p_tenant text, p_corr text, p_caus text, p_payer_tenant text DEFAULT NULL,
    p_unit text DEFAULT NULL)
RETURNS TABLE (outcome text, t transfers)
LANGUAGE plpgsql AS $$
DECLARE
  existing transfers;
  orig transfers;
  a accounts;
  payer accounts;
  payee accounts;
  v_code text;
  v_reason text;
  v_now timestamptz := clock_timestamp();
  v_data jsonb;
BEGIN
  -- A replay answers without taking any lock.
  SELECT * INTO existing FROM transfers WHERE id = p_id;
  IF FOUND THEN
    RETURN QUERY SELECT CASE WHEN existing.fingerprint = p_fingerprint
                             THEN 'replayed' ELSE 'conflict' END, existing;
    RETURN;
  END IF;

  IF p_reverses IS NOT NULL THEN
    -- Lock the original first (transfers before accounts, everywhere): one reversal at most.
    SELECT * INTO orig FROM transfers WHERE id = p_reverses FOR UPDATE;
  END IF;

  -- Both account rows locked in id order: no deadlock between opposite transfers.
  FOR a IN SELECT * FROM accounts WHERE id IN (p_payer, p_payee) ORDER BY id FOR NO KEY UPDATE LOOP
    IF a.id = p_payer THEN payer := a; END IF;
    IF a.id = p_payee THEN payee := a; END IF;
  END LOOP;

  IF (p_payer_tenant IS NOT NULL AND payer.tenant IS DISTINCT FROM p_payer_tenant)
     OR (p_network IS NULL AND payer.id IS NULL) THEN
    RETURN QUERY SELECT 'not_found'::text, existing;
    RETURN;
  END IF;
  p_network := coalesce(p_network, payer.network);
  IF p_unit IS NULL THEN
    SELECT unit_code INTO p_unit FROM networks WHERE slug = p_network;
  END IF;

  IF p_reverses IS NOT NULL THEN
    IF orig.id IS NULL THEN
      v_code := 'invalid_reversal'; v_reason := 'transfer ' || p_reverses || ' does not exist';
    ELSIF orig.status <> 'posted' THEN
      v_code := 'invalid_reversal'; v_reason := 'only a posted transfer can be reversed';
    ELSIF orig.network <> p_network THEN
      v_code := 'cross_network'; v_reason := 'a reversal stays in its network';
    ELSIF (orig.payer, orig.payee, orig.amount) IS DISTINCT FROM (p_payee, p_payer, p_amount) THEN
      v_code := 'invalid_reversal';
      v_reason := 'a reversal moves the same amount back between the same accounts';
    ELSIF EXISTS (SELECT 1 FROM transfers WHERE reverses = p_reverses) THEN
      v_code := 'invalid_reversal'; v_reason := 'transfer ' || p_reverses || ' is already reversed';
    END IF;
  END IF;

  IF v_code IS NOT NULL THEN
    NULL;
  ELSIF p_payer = p_payee THEN
    v_code := 'same_account'; v_reason := 'payer and payee are the same account';
  ELSIF payer.id IS NULL THEN
    v_code := 'unknown_account'; v_reason := 'unknown payer account ' || p_payer;
  ELSIF payee.id IS NULL THEN
    v_code := 'unknown_account'; v_reason := 'unknown payee account ' || p_payee;
  ELSIF payer.network <> p_network OR payee.network <> p_network THEN
    v_code := 'cross_network'; v_reason := 'payer and payee must belong to the transfer''s network';
  ELSIF payer.status = 'frozen' THEN
    v_code := 'account_frozen'; v_reason := 'account ' || payer.id || ' is frozen';
  ELSIF payer.status = 'closed' THEN
    v_code := 'account_closed'; v_reason := 'account ' || payer.id || ' is closed';
  ELSIF payee.status = 'frozen' THEN
    v_code := 'account_frozen'; v_reason := 'account ' || payee.id || ' is frozen';
  ELSIF payee.status = 'closed' THEN
    v_code := 'account_closed'; v_reason := 'account ' || payee.id || ' is closed';
  ELSIF payer.balance - payer.pending_debits + payer.credit_limit < p_amount THEN
    v_code := 'insufficient_credit';
    v_reason := 'available credit '
                || ledger_amount_text(payer.balance - payer.pending_debits + payer.credit_limit)
                || ' is below the amount ' || ledger_amount_text(p_amount);
  ELSIF payee.max_balance IS NOT NULL
        AND payee.balance + payee.pending_credits + p_amount > payee.max_balance THEN
    v_code := 'max_balance_exceeded';
    v_reason := 'account ' || payee.id || ' would exceed its maximum balance';
  END IF;

  INSERT INTO transfers (id, network, payer, payee, amount, kind, status, reference, fingerprint,
                         created_at, posted_at, expires_at, reverses, refusal_code, refusal_reason,
                         payer_tenant, payee_tenant)
  VALUES (p_id, p_network, p_payer, p_payee, p_amount, p_kind,
          CASE WHEN v_code IS NOT NULL THEN 'refused' WHEN p_hold THEN 'pending' ELSE 'posted' END,
          p_reference, p_fingerprint, v_now,
          CASE WHEN v_code IS NULL AND NOT p_hold THEN v_now END,
          CASE WHEN v_code IS NULL AND p_hold THEN p_expires_at END,
          CASE WHEN v_code IS NULL THEN p_reverses END, v_code, v_reason,
          payer.tenant, payee.tenant)
  ON CONFLICT (id) DO NOTHING
  RETURNING * INTO existing;
  IF existing.id IS NULL THEN
    -- A concurrent call with the same id won the insert: answer as a replay of it.
    SELECT * INTO existing FROM transfers WHERE id = p_id;
    RETURN QUERY SELECT CASE WHEN existing.fingerprint = p_fingerprint
                             THEN 'replayed' ELSE 'conflict' END, existing;
    RETURN;
  END IF;

  IF v_code IS NOT NULL THEN
    v_data := jsonb_build_object(
      'transfer_id', p_id, 'payer', p_payer, 'payee', p_payee,
      'amount', ledger_amount_text(p_amount), 'unit', p_unit, 'code', v_code, 'reason', v_reason);
    PERFORM ledger_emit('transfer_refused', p_network,
                        ARRAY[coalesce(payer.tenant, payee.tenant, p_tenant)], p_id::text, v_data,
                        p_corr, p_caus);
  ELSIF p_hold THEN
    -- Both rows in one statement (they are locked already).
    UPDATE accounts SET pending_debits = pending_debits
                                         + CASE WHEN id = p_payer THEN p_amount ELSE 0 END,
                        pending_credits = pending_credits
                                          + CASE WHEN id = p_payee THEN p_amount ELSE 0 END,
                        version = version + 1, updated_at = v_now
      WHERE id IN (p_payer, p_payee);
    v_data := jsonb_build_object(
      'transfer_id', p_id, 'payer', p_payer, 'payee', p_payee,
      'amount', ledger_amount_text(p_amount), 'unit', p_unit, 'reference', p_reference,
      'expires_at', ledger_ts(p_expires_at));
    PERFORM ledger_emit('transfer_held', p_network, ARRAY[payer.tenant, payee.tenant],
                        p_id::text, v_data, p_corr, p_caus);
  ELSE
    UPDATE accounts SET balance = balance + CASE WHEN id = p_payer THEN -p_amount ELSE p_amount END,
                        version = version + 1, updated_at = v_now
      WHERE id IN (p_payer, p_payee);
    INSERT INTO postings (transfer_id, account_id, amount, created_at)
      VALUES (p_id, p_payer, -p_amount, v_now), (p_id, p_payee, p_amount, v_now);
    v_data := jsonb_build_object(
      'transfer_id', p_id, 'payer', p_payer, 'payee', p_payee,
      'amount', ledger_amount_text(p_amount), 'unit', p_unit, 'kind', p_kind,
      'reference', p_reference, 'posted_at', ledger_ts(v_now),
      'payer_balance', ledger_amount_text(payer.balance - p_amount),
      'payee_balance', ledger_amount_text(payee.balance + p_amount),
      'reverses', p_reverses);
    PERFORM ledger_emit('transfer_posted', p_network, ARRAY[payer.tenant, payee.tenant],
                        p_id::text, v_data, p_corr, p_caus);
  END IF;
  RETURN QUERY SELECT 'created'::text, existing;
END
$$;

-- Post (p_post) or void a pending transfer. Posting or voiding twice answers 'replayed'; posting
-- an expired hold voids it and answers 'expired'.
DROP FUNCTION IF EXISTS ledger_settle(uuid, boolean, text, text, text);
CREATE FUNCTION ledger_settle(p_id uuid, p_post boolean, p_reason text, p_corr text, p_caus text)
RETURNS TABLE (outcome text, t transfers)
LANGUAGE plpgsql AS $$
DECLARE
  tr transfers;
  a accounts;
  payer accounts;
  payee accounts;
  v_now timestamptz := clock_timestamp();
  v_expired boolean;
  v_data jsonb;
  v_unit text;
BEGIN
  SELECT * INTO tr FROM transfers WHERE id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'not_found'::text, tr;
    RETURN;
  END IF;
  SELECT unit_code INTO v_unit FROM networks WHERE slug = tr.network;
  IF tr.status = (CASE WHEN p_post THEN 'posted' ELSE 'voided' END) THEN
    RETURN QUERY SELECT 'replayed'::text, tr;
    RETURN;
  END IF;
  IF tr.status <> 'pending' THEN
    RETURN QUERY SELECT 'invalid_state'::text, tr;
    RETURN;
  END IF;
  v_expired := p_post AND tr.expires_at IS NOT NULL AND tr.expires_at <= v_now;

  FOR a IN SELECT * FROM accounts WHERE id IN (tr.payer, tr.payee) ORDER BY id FOR NO KEY UPDATE LOOP
    IF a.id = tr.payer THEN payer := a; END IF;
    IF a.id = tr.payee THEN payee := a; END IF;
  END LOOP;

  IF p_post AND NOT v_expired THEN
    UPDATE accounts SET balance = balance - tr.amount, pending_debits = pending_debits - tr.amount,
                        version = version + 1, updated_at = v_now WHERE id = tr.payer;
    UPDATE accounts SET balance = balance + tr.amount, pending_credits = pending_credits - tr.amount,
                        version = version + 1, updated_at = v_now WHERE id = tr.payee;
    INSERT INTO postings (transfer_id, account_id, amount, created_at)
      VALUES (tr.id, tr.payer, -tr.amount, v_now), (tr.id, tr.payee, tr.amount, v_now);
    UPDATE transfers SET status = 'posted', posted_at = v_now WHERE id = tr.id RETURNING * INTO tr;
    v_data := jsonb_build_object(
      'transfer_id', tr.id, 'payer', tr.payer, 'payee', tr.payee,
      'amount', ledger_amount_text(tr.amount), 'unit', v_unit, 'kind', tr.kind,
      'reference', tr.reference, 'posted_at', ledger_ts(v_now),
      'payer_balance', ledger_amount_text(payer.balance - tr.amount),
      'payee_balance', ledger_amount_text(payee.balance + tr.amount),
      'reverses', tr.reverses);
    PERFORM ledger_emit('transfer_posted', tr.network, ARRAY[tr.payer_tenant, tr.payee_tenant],
                        tr.id::text, v_data, p_corr, p_caus);
    RETURN QUERY SELECT 'created'::text, tr;
    RETURN;
  END IF;

  UPDATE accounts SET pending_debits = pending_debits - tr.amount, version = version + 1,
                      updated_at = v_now WHERE id = tr.payer;
  UPDATE accounts SET pending_credits = pending_credits - tr.amount, version = version + 1,
                      updated_at = v_now WHERE id = tr.payee;
  UPDATE transfers SET status = 'voided', voided_at = v_now,
                       void_reason = CASE WHEN v_expired THEN 'expired' ELSE p_reason END
    WHERE id = tr.id RETURNING * INTO tr;
  v_data := jsonb_build_object(
    'transfer_id', tr.id, 'payer', tr.payer, 'payee', tr.payee,
    'amount', ledger_amount_text(tr.amount), 'unit', v_unit, 'reason', tr.void_reason);
  PERFORM ledger_emit('transfer_voided', tr.network, ARRAY[tr.payer_tenant, tr.payee_tenant],
                      tr.id::text, v_data, p_corr, p_caus);
  RETURN QUERY SELECT CASE WHEN v_expired THEN 'expired' ELSE 'created' END, tr;
END
$$;

-- The items of a bus batch as rows; n is each item's place in the batch (1-based).
CREATE OR REPLACE FUNCTION ledger_batch_items(p_items jsonb)
RETURNS TABLE (n int, id uuid, network text, payer uuid, payee uuid, amount bigint, kind text,
               reference text, fingerprint text, hold boolean, expires_at timestamptz,
               reverses uuid, tenant text, corr text, caus text, unit text)
LANGUAGE sql IMMUTABLE AS $$
  SELECT x.n, x.id, x.network, x.payer, x.payee, x.amount, x.kind, x.reference, x.fingerprint,
         coalesce(x.hold, false), x.expires_at, x.reverses, x.tenant, x.corr, x.caus, x.unit
  FROM jsonb_to_recordset(p_items) AS x(n int, id uuid, network text, payer uuid, payee uuid,
                                        amount bigint, kind text, reference text,
                                        fingerprint text, hold boolean, expires_at timestamptz,
                                        reverses uuid, tenant text, corr text, caus text,
                                        unit text)
$$;

-- Many transfers in one statement (the bus worker's batches): every account the batch touches
-- is locked first, in id order, so a batch keeps the global lock order of single transfers.
--
-- Set-based when it can be (the shape of the reference's transfer_batch.sql): if every item is a
-- new, plain transfer (no hold, no reversal) between two distinct active accounts of its network,
-- and each account's running balance in message order stays within its credit limit (payers) and
-- its maximum balance (payees) after every item, then applying the items one by one would post
-- every one of them with exactly these balances, so the batch is written in a few multi-row
-- statements: one INSERT of the transfers, one netted UPDATE per account, one INSERT of the
-- postings and one of the outbox rows. Otherwise (a refusal, a hold, a reversal, a replay) the
-- items are applied one at a time, in order, by ledger_transfer.
--
-- The planner cannot know that a batch is about a hundred rows of tables of millions: estimated
-- from the function's rows, hash joins over full scans of accounts and transfers look cheaper
-- than a hundred index probes, and a batch would then cost a scan of the journal. Inside this
-- function only (the SET clauses are undone on return), lookups are index probes.
DROP FUNCTION IF EXISTS ledger_transfer_batch(jsonb);
CREATE FUNCTION ledger_transfer_batch(p_items jsonb)
RETURNS TABLE (ord int, outcome text, t transfers)
LANGUAGE plpgsql
SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  r record;
  v_now timestamptz := clock_timestamp();
  v_count int;
  v_ok int;
BEGIN
  PERFORM 1 FROM accounts
   WHERE accounts.id IN (SELECT i.payer FROM ledger_batch_items(p_items) i
                         UNION SELECT i.payee FROM ledger_batch_items(p_items) i)
   ORDER BY accounts.id FOR NO KEY UPDATE;

  SELECT count(*),
         count(*) FILTER (WHERE NOT i.hold AND i.reverses IS NULL AND i.payer <> i.payee
                          AND i.network IS NOT NULL
                          AND pa.network = i.network AND pe.network = i.network
                          AND pa.status = 'active' AND pe.status = 'active')
    INTO v_count, v_ok
    FROM ledger_batch_items(p_items) i
    LEFT JOIN accounts pa ON pa.id = i.payer
    LEFT JOIN accounts pe ON pe.id = i.payee;
  IF v_count > 0 AND v_ok = v_count
     AND (SELECT count(DISTINCT i.id) FROM ledger_batch_items(p_items) i) = v_count
     AND NOT EXISTS (SELECT 1 FROM transfers tr
                      WHERE tr.id IN (SELECT i.id FROM ledger_batch_items(p_items) i))
     AND NOT EXISTS (
       SELECT 1
         FROM (SELECT l.account, l.side,
                      sum(l.delta) OVER (PARTITION BY l.account ORDER BY l.n) AS moved
                 FROM (SELECT i.n, i.payer AS account, -i.amount AS delta, 'payer' AS side
                         FROM ledger_batch_items(p_items) i
                       UNION ALL
                       SELECT i.n, i.payee, i.amount, 'payee'
                         FROM ledger_batch_items(p_items) i) l) run
         JOIN accounts a ON a.id = run.account
        WHERE (run.side = 'payer' AND a.balance + run.moved - a.pending_debits + a.credit_limit < 0)
           OR (run.side = 'payee' AND a.max_balance IS NOT NULL
               AND a.balance + run.moved + a.pending_credits > a.max_balance))
  THEN
    -- Every item posts. One statement: its parts all read the accounts as they were before
    -- it, so each transfer's balances are the running sums in message order.
    WITH items AS (SELECT * FROM ledger_batch_items(p_items)),
    legs AS (
      SELECT i.n, 1 AS leg, i.payer AS account, -i.amount AS delta FROM items i
      UNION ALL
      SELECT i.n, 2, i.payee, i.amount FROM items i),
    run AS (
      SELECT l.n, l.leg,
             a.balance + (sum(l.delta) OVER (PARTITION BY l.account ORDER BY l.n))::bigint
               AS balance_after
        FROM legs l JOIN accounts a ON a.id = l.account),
    b AS (
      SELECT i.*, pa.tenant AS payer_tenant, pe.tenant AS payee_tenant,
             rp.balance_after AS payer_balance, re.balance_after AS payee_balance,
             coalesce(i.unit, nw.unit_code) AS unit_code
        FROM items i
        JOIN accounts pa ON pa.id = i.payer
        JOIN accounts pe ON pe.id = i.payee
        JOIN run rp ON rp.n = i.n AND rp.leg = 1
        JOIN run re ON re.n = i.n AND re.leg = 2
        LEFT JOIN networks nw ON nw.slug = i.network),
    ins AS (
      INSERT INTO transfers (id, network, payer, payee, amount, kind, status, reference,
                             fingerprint, created_at, posted_at, payer_tenant, payee_tenant)
      SELECT b.id, b.network, b.payer, b.payee, b.amount, b.kind, 'posted', b.reference,
             b.fingerprint, v_now, v_now, b.payer_tenant, b.payee_tenant
        FROM b ORDER BY b.n
      RETURNING 1),
    upd AS (
      UPDATE accounts a SET balance = a.balance + d.delta, version = a.version + d.legs,
                            updated_at = v_now
        FROM (SELECT l.account, sum(l.delta)::bigint AS delta, count(*)::int AS legs
                FROM legs l GROUP BY l.account) d
       WHERE a.id = d.account
      RETURNING 1),
    post AS (
      INSERT INTO postings (transfer_id, account_id, amount, created_at)
      SELECT b.id, v.account, v.amount, v_now
        FROM b CROSS JOIN LATERAL (VALUES (1, b.payer, -b.amount), (2, b.payee, b.amount))
                              AS v(leg, account, amount)
       ORDER BY b.n, v.leg
      RETURNING 1),
    events AS (
      INSERT INTO outbox (message_id, exchange, routing_key, type, source, subject, tenant,
                          other_tenant, network, correlation_id, causation_id, data, created_at,
                          sequenced)
      SELECT gen_random_uuid()::text, 'ledger.events',
             b.network || '.' || coalesce(c.t, '_') || '.transfer_posted.v1',
             'org.trocactif.ledger.transfer_posted.v1', '/ledger', b.id::text, c.t, c.other,
             b.network, coalesce(b.corr, gen_random_uuid()::text), b.caus,
             jsonb_build_object(
               'transfer_id', b.id, 'payer', b.payer, 'payee', b.payee,
               'amount', ledger_amount_text(b.amount), 'unit', b.unit_code, 'kind', b.kind,
               'reference', b.reference, 'posted_at', ledger_ts(v_now),
               'payer_balance', ledger_amount_text(b.payer_balance),
               'payee_balance', ledger_amount_text(b.payee_balance), 'reverses', NULL),
             v_now, c.t IS NOT NULL
        FROM b CROSS JOIN LATERAL (
               -- One row for the tenants (least first), one more without a tenant if an
               -- account has none (the network's fee account).
               SELECT least(b.payer_tenant, b.payee_tenant) AS t,
                      CASE WHEN b.payer_tenant <> b.payee_tenant
                           THEN greatest(b.payer_tenant, b.payee_tenant) END AS other, 1 AS k
                WHERE coalesce(b.payer_tenant, b.payee_tenant) IS NOT NULL
               UNION ALL
               SELECT NULL, NULL, 2
                WHERE b.payer_tenant IS NULL OR b.payee_tenant IS NULL) AS c
       ORDER BY b.n, c.k
      RETURNING 1)
    SELECT (SELECT count(*) FROM ins) + (SELECT count(*) FROM upd) + (SELECT count(*) FROM post)
           + (SELECT count(*) FROM events)
      INTO v_ok;
    RETURN QUERY SELECT i.n, 'created'::text, tr
      FROM ledger_batch_items(p_items) i JOIN transfers tr ON tr.id = i.id
     ORDER BY i.n;
    RETURN;
  END IF;

  FOR r IN SELECT i.* FROM ledger_batch_items(p_items) i ORDER BY i.n
  LOOP
    RETURN QUERY SELECT r.n, f.outcome, f.t
      FROM ledger_transfer(
        r.id, r.network, r.payer, r.payee, r.amount, r.kind, r.reference, r.fingerprint,
        r.hold, r.expires_at, r.reverses, r.tenant, r.corr, r.caus, NULL, r.unit) AS f;
  END LOOP;
END
$$;
