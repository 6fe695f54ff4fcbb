import { sql } from 'kysely';
import { inTransaction, isPostgres, type Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import { recordLogon } from '../ram/login-profiles.js';
import { storeSession, type ConsoleSession } from '../sessions/sessions.js';
import { endFlow, type LoginFlow } from './flow.js';

// The last write of a RAM user's console logon, all or nothing: the flow's end (so its cookie can never finish a logon
// again), the logon's record (LastLoginTime, the initial password used up, failed attempts cleared) and the session.
// The record and the session are written only if console logon is still active and the user's logon generation is the
// one the flow's password was checked under.

export type Finished =
  /** The session was opened. */
  | 'opened'
  /** Console logon was disabled or removed, or the user's logons were ended, since the first factor: only the flow's end written. */
  | 'overtaken'
  /** The flow had ended already (its cookie was sent again): nothing written. */
  | 'ended';

export interface FinishingLogon {
  flow: LoginFlow;
  userId: string;
  session: ConsoleSession;
  now: Date;
}

export async function finishLogon(tx: Tx, logon: FinishingLogon): Promise<Finished> {
  return isPostgres(tx) ? finishLogonInOneStatement(tx, logon) : finishLogonInTransaction(tx, logon);
}

// Both paths are exported for test/signin/finish-logon.test.ts, which checks on PostgreSQL that they write the same rows.

/** SQLite runs in this process: a transaction's statements cost no round trips. */
export async function finishLogonInTransaction(tx: Tx, logon: FinishingLogon): Promise<Finished> {
  if (logon.flow.logon_generation === null) return 'overtaken';
  try {
    return await inTransaction(tx, async (t): Promise<Finished> => {
      if (!(await endFlow(t, logon.flow))) return 'ended';
      if (!(await recordLogon(t, { user_id: logon.userId, logon_generation: logon.flow.logon_generation }, logon.now))) throw new Overtaken();
      await storeSession(t, logon.session);
      return 'opened';
    });
  } catch (error) {
    if (!(error instanceof Overtaken)) throw error;
    // The record may be half written: it is rolled back, and the flow ends on its own, as in the one statement.
    await endFlow(tx, logon.flow);
    return 'overtaken';
  }
}

/** Thrown to roll back a logon's record when console logon was withdrawn or the user's logons were ended meanwhile. */
class Overtaken extends Error {}

// On PostgreSQL the same writes are one statement, so one round trip instead of six (begin, four writes, commit). Each
// part reads the one before, which orders them. The login profile's row is locked before the user's is updated, the
// order every change that ends logons takes (see endSessionsOfUser), so the two wait for each other rather than
// deadlock. Under READ COMMITTED, a row another transaction changed and committed meanwhile is checked again in its
// new version: a disabled profile no longer matches `status`, a moved generation no longer matches `logon_generation`,
// and then nothing after it is written.
const finishStatement = preparedQuery(
  (
    tx,
    p: {
      flowId: string;
      flowKind: string;
      flowStep: string;
      flowCreatedAt: string;
      flowExpiresAt: string;
      userId: string;
      generation: number;
      at: string;
      sessionId: string;
      accountId: string;
      principalType: string;
      mfaPresent: number;
      sessionCreatedAt: string;
      sessionExpiresAt: string;
    },
  ) => ({
    compile: () =>
      sql<{ ended: string; opened: string }>`
        with ended as (
          insert into login_flows (id, kind, step, user_id, mfa_done, created_at, expires_at)
          values (${p.flowId}, ${p.flowKind}, ${p.flowStep}, ${p.userId}, 0, ${p.flowCreatedAt}, ${p.flowExpiresAt})
          on conflict (id) do nothing
          returning id
        ), active as (
          select user_id from login_profiles
          where user_id = ${p.userId} and status = 'Active' and exists (select 1 from ended)
          for update
        ), unmoved as (
          update ram_users set last_login_at = ${p.at}
          where id in (select user_id from active) and logon_generation = ${p.generation}::integer
          returning id
        ), recorded as (
          update login_profiles set last_login_at = ${p.at}, password_is_initial = 0, failed_attempts = 0, locked_until = null
          where user_id in (select id from unmoved)
          returning user_id
        ), opened as (
          insert into console_sessions (id, account_id, principal_type, user_id, mfa_present, created_at, expires_at)
          select ${p.sessionId}, ${p.accountId}, ${p.principalType}, user_id, ${p.mfaPresent}::integer, ${p.sessionCreatedAt}, ${p.sessionExpiresAt}
          from recorded
          returning id
        )
        select (select count(id) from ended) as ended, (select count(id) from opened) as opened`.compile(tx),
  }),
);

/** PostgreSQL only (its data-modifying WITH). */
export async function finishLogonInOneStatement(tx: Tx, logon: FinishingLogon): Promise<Finished> {
  const { flow, session } = logon;
  const generation = flow.logon_generation;
  if (generation === null) return 'overtaken';
  const [row] = (
    await finishStatement(tx, {
      flowId: flow.id,
      flowKind: flow.kind,
      flowStep: flow.step,
      flowCreatedAt: flow.created_at,
      flowExpiresAt: flow.expires_at,
      userId: logon.userId,
      generation,
      at: logon.now.toISOString(),
      sessionId: session.id,
      accountId: session.account_id,
      principalType: session.principal_type,
      mfaPresent: session.mfa_present,
      sessionCreatedAt: session.created_at,
      sessionExpiresAt: session.expires_at,
    })
  ).rows;
  if (Number(row?.ended) === 0) return 'ended';
  return Number(row?.opened) === 0 ? 'overtaken' : 'opened';
}
