import { sql } from 'kysely';
import { countOf, countRows, type CountedPage, type OffsetRequest } from '../paging.js';
import { inTransaction, type Tx } from '../store/db.js';
import type { SecretBox } from '../crypto/secrets.js';
import { findRoleByName } from '../ram/roles.js';
import { issueRoleSession, type RoleSessionCredentials } from '../sts/role-sessions.js';
import { createSession } from '../sessions/sessions.js';
import { holdPortalSession, type PortalSession } from '../sessions/portal-sessions.js';
import { getSecurityPreference } from '../ram/security-preference.js';
import { roleNameOf } from './provisioning.js';
import type { SsoUser } from './users.js';

// What a CloudSSO user sees and does in the user portal (seed 000): the accounts and access configurations
// assigned to them directly or through their groups, and sign-in to a member account as the provisioned RAM role
// or RAM user. Every sign-in re-checks the assignment, so a revoked assignment is refused at once.

export interface PortalConfiguration {
  id: string;
  name: string;
  description: string;
  sessionDuration: number;
  relayState: string;
}

export interface PortalAccount {
  accountId: string;
  accountName: string;
  configurations: PortalConfiguration[];
}

/** The principals the user acts as for assignments: the user and each of their groups. */
function principalMatch(tx: Tx, userId: string) {
  const groups = tx.selectFrom('cloudsso_group_members').select('group_id').where('user_id', '=', userId);
  return (eb: any) =>
    eb.or([
      eb.and([eb('a.principal_type', '=', 'User'), eb('a.principal_id', '=', userId)]),
      eb.and([eb('a.principal_type', '=', 'Group'), eb('a.principal_id', 'in', groups)]),
    ]);
}

function accountName() {
  return sql<string>`coalesce(r.display_name, acct.display_name)`;
}

function searchMatch(query: string) {
  const like = `%${escapeLike(query.trim().toLowerCase())}%`;
  return (eb: any) => eb.or([eb(sql`lower(coalesce(r.display_name, acct.display_name))`, 'like', like), eb('t.target_id', 'like', like)]);
}

/** LIKE escapes differ between SQLite and PostgreSQL; names and IDs never need the wildcard characters, so drop them. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, '');
}

/**
 * The "Sign in as RAM role" list: accounts (sorted by name, searchable by name or ID, paged) with the access
 * configurations the user may use on each. Two queries whatever the page size: the page of accounts, then their
 * configurations.
 */
export async function roleAccountsForUser(
  tx: Tx,
  input: { directoryId: string; userId: string; query?: string },
  page: OffsetRequest,
): Promise<CountedPage<PortalAccount, never>> {
  // The user's accounts first (distinct targets of their assignments), then names for those only.
  const targets = tx
    .selectFrom('cloudsso_assignments as a')
    .select('a.target_id')
    .distinct()
    .where('a.directory_id', '=', input.directoryId)
    .where(principalMatch(tx, input.userId));
  const query = input.query?.trim();
  const named = tx
    .selectFrom(targets.as('t'))
    .innerJoin('accounts as acct', 'acct.id', 't.target_id')
    .leftJoin('rd_accounts as r', 'r.account_id', 't.target_id')
    .$if(Boolean(query), (qb) => qb.where(searchMatch(query ?? '')));
  // The total rides on the page's rows (a window count over the whole match), so the match is computed once.
  const rows = await named
    .select(['t.target_id as account_id', accountName().as('account_name'), sql<number>`count(*) over ()`.as('total')])
    .orderBy('account_name')
    .orderBy('t.target_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  if (rows.length === 0) {
    // Past the last page: the total still says how many there are.
    return { items: [], total: countOf(await countRows(named)) };
  }
  const configurations = await tx
    .selectFrom('cloudsso_assignments as a')
    .innerJoin('cloudsso_access_configurations as ac', 'ac.id', 'a.access_configuration_id')
    .select(['a.target_id', 'ac.id', 'ac.name', 'ac.description', 'ac.session_duration', 'ac.relay_state'])
    .distinct()
    .where('a.directory_id', '=', input.directoryId)
    .where(principalMatch(tx, input.userId))
    .where(
      'a.target_id',
      'in',
      rows.map((p) => p.account_id),
    )
    .orderBy('ac.name')
    .execute();
  const byAccount = new Map<string, PortalConfiguration[]>();
  for (const c of configurations) {
    const list = byAccount.get(c.target_id) ?? [];
    if (!list.some((x) => x.id === c.id)) {
      list.push({ id: c.id, name: c.name, description: c.description, sessionDuration: c.session_duration, relayState: c.relay_state });
    }
    byAccount.set(c.target_id, list);
  }
  return {
    items: rows.map((p) => ({ accountId: p.account_id, accountName: p.account_name, configurations: byAccount.get(p.account_id) ?? [] })),
    total: Number(rows[0]!.total),
  };
}

/** The configurations the user may use on one account (for Log On, direct links and the Insufficient Access page). */
export async function configurationsOnAccount(tx: Tx, directoryId: string, userId: string, accountId: string): Promise<PortalConfiguration[]> {
  const rows = await tx
    .selectFrom('cloudsso_assignments as a')
    .innerJoin('cloudsso_access_configurations as ac', 'ac.id', 'a.access_configuration_id')
    .select(['ac.id', 'ac.name', 'ac.description', 'ac.session_duration', 'ac.relay_state'])
    .distinct()
    .where('a.directory_id', '=', directoryId)
    .where('a.target_id', '=', accountId)
    .where(principalMatch(tx, userId))
    .orderBy('ac.name')
    .execute();
  return rows.map((c) => ({ id: c.id, name: c.name, description: c.description, sessionDuration: c.session_duration, relayState: c.relay_state }));
}

/** The "Sign in as RAM user" list: accounts where RAM user provisioning covers the user or one of their groups. */
export async function ramUserAccountsForUser(tx: Tx, directoryId: string, userId: string): Promise<Array<{ accountId: string; accountName: string }>> {
  const groups = tx.selectFrom('cloudsso_group_members').select('group_id').where('user_id', '=', userId);
  const rows = await tx
    .selectFrom('cloudsso_user_provisionings as p')
    .innerJoin('accounts as acct', 'acct.id', 'p.target_id')
    .leftJoin('rd_accounts as r', 'r.account_id', 'p.target_id')
    .select(['p.target_id as account_id', accountName().as('account_name')])
    .distinct()
    .where('p.directory_id', '=', directoryId)
    .where((eb) =>
      eb.or([
        eb.and([eb('p.principal_type', '=', 'User'), eb('p.principal_id', '=', userId)]),
        eb.and([eb('p.principal_type', '=', 'Group'), eb('p.principal_id', 'in', groups)]),
      ]),
    )
    .orderBy('account_name')
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, accountName: r.account_name }));
}

export type PortalSignIn =
  | { ok: true; consoleToken: string; lifetimeSeconds: number; relayState: string }
  | { ok: false; reason: 'not-assigned' | 'not-provisioned' | 'no-user-provisioning' | 'no-ram-user' }
  /** The portal session ended meanwhile (the user's credentials changed): no console session is opened from it. */
  | { ok: false; reason: 'signed-out' };

const sessionNameOf = (user: SsoUser): string => (user.user_name.length >= 2 ? user.user_name : `${user.user_name}-sso`).slice(0, 64);
const callerArnOf = (directoryId: string, user: SsoUser): string => `acs:cloudsso::${directoryId}:user/${user.id}`;

interface RoleRequest {
  directoryId: string;
  user: SsoUser;
  accountId: string;
  configurationId: string;
  now: Date;
}

/**
 * An STS session of the provisioned `AliyunReservedSSO-<name>` role, for the configuration's SessionDuration —
 * only while the configuration is still assigned to the user (or one of their groups) on that account.
 */
async function assumeAssignedRole(
  tx: Tx,
  secrets: SecretBox,
  input: RoleRequest,
): Promise<{ ok: true; credentials: RoleSessionCredentials; roleName: string; configuration: PortalConfiguration } | { ok: false; reason: 'not-assigned' | 'not-provisioned' }> {
  const configuration = (await configurationsOnAccount(tx, input.directoryId, input.user.id, input.accountId)).find((c) => c.id === input.configurationId);
  if (!configuration) return { ok: false, reason: 'not-assigned' };
  const role = await findRoleByName(tx, input.accountId, roleNameOf(configuration.name));
  if (!role) return { ok: false, reason: 'not-provisioned' };
  const credentials = await issueRoleSession(tx, secrets, {
    role,
    sessionName: sessionNameOf(input.user),
    durationSeconds: configuration.sessionDuration,
    callerArn: callerArnOf(input.directoryId, input.user),
    sourceIdentity: input.user.user_name,
    now: input.now,
  });
  return { ok: true, credentials, roleName: role.name, configuration };
}

/**
 * Log On as RAM role: the role's STS session and a console session in the member account that carries it.
 * Deleting the console session (logout, or the user being signed out) deletes the STS session with it.
 */
export function signInAsRole(db: Tx, secrets: SecretBox, input: RoleRequest & { portalSession: PortalSession }): Promise<PortalSignIn> {
  return inTransaction(db, async (tx) => {
    if (!(await holdPortalSession(tx, input.portalSession))) return { ok: false, reason: 'signed-out' };
    const assumed = await assumeAssignedRole(tx, secrets, input);
    if (!assumed.ok) return assumed;
    const { credentials, configuration } = assumed;
    const { token, session } = await createSession(tx, {
      accountId: input.accountId,
      principalType: 'role',
      userId: null,
      mfaPresent: input.portalSession.mfa_present === 1,
      lifetimeSeconds: configuration.sessionDuration,
      now: input.now,
      stsAccessKeyId: credentials.accessKeyId,
      portalUserId: input.user.id,
    });
    await tx.updateTable('sts_sessions').set({ console_session_id: session.id }).where('access_key_id', '=', credentials.accessKeyId).execute();
    return { ok: true, consoleToken: token, lifetimeSeconds: configuration.sessionDuration, relayState: configuration.relayState };
  });
}

/** Temporary credentials for the CLI, with exactly the configuration's permissions and its SessionDuration. */
export async function cliCredentials(
  db: Tx,
  secrets: SecretBox,
  input: RoleRequest,
): Promise<{ ok: true; credentials: RoleSessionCredentials; roleName: string } | { ok: false; reason: 'not-assigned' | 'not-provisioned' }> {
  const assumed = await inTransaction(db, (tx) => assumeAssignedRole(tx, secrets, input));
  return assumed.ok ? { ok: true, credentials: assumed.credentials, roleName: assumed.roleName } : assumed;
}

/**
 * The RAM user that RAM user provisioning made (or took over) for this CloudSSO user in this account, from the
 * provisioning record and never by name: names collide (`bob@corp.com` is provisioned as `bob-corp.com`, which may
 * also be another user's name) and a RAM user named like the user may be the member account's own. With several
 * records (the user's own and a group's), the oldest wins, so the choice never changes between two logons.
 */
export async function provisionedRamUserOf(tx: Tx, directoryId: string, userId: string, accountId: string): Promise<{ id: string } | undefined> {
  return tx
    .selectFrom('cloudsso_provisioned_ram_users as r')
    .innerJoin('cloudsso_user_provisionings as p', 'p.id', 'r.user_provisioning_id')
    .innerJoin('ram_users as u', (join) => join.onRef('u.id', '=', 'r.ram_user_id').onRef('u.account_id', '=', 'r.account_id'))
    .select('u.id')
    .where('p.directory_id', '=', directoryId)
    .where('p.target_id', '=', accountId)
    .where('r.account_id', '=', accountId)
    .where('r.user_id', '=', userId)
    .orderBy('r.created_at')
    .orderBy('r.user_provisioning_id')
    .executeTakeFirst();
}

/** Log On as RAM user: a console session as the RAM user that RAM user provisioning created for this user. */
export function signInAsRamUser(
  db: Tx,
  input: { directoryId: string; user: SsoUser; accountId: string; portalSession: PortalSession; now: Date },
): Promise<PortalSignIn> {
  return inTransaction(db, async (tx) => {
    if (!(await holdPortalSession(tx, input.portalSession))) return { ok: false, reason: 'signed-out' };
    const accounts = await ramUserAccountsForUser(tx, input.directoryId, input.user.id);
    // No RAM user provisioning covers the user there: said as such, not as a role permission that was taken away.
    if (!accounts.some((a) => a.accountId === input.accountId)) return { ok: false, reason: 'no-user-provisioning' };
    const ramUser = await provisionedRamUserOf(tx, input.directoryId, input.user.id, input.accountId);
    if (!ramUser) return { ok: false, reason: 'no-ram-user' };
    const lifetimeSeconds = (await getSecurityPreference(tx, input.accountId)).loginSessionDuration * 3600;
    const { token } = await createSession(tx, {
      accountId: input.accountId,
      principalType: 'user',
      userId: ramUser.id,
      mfaPresent: input.portalSession.mfa_present === 1,
      lifetimeSeconds,
      now: input.now,
      portalUserId: input.user.id,
    });
    return { ok: true, consoleToken: token, lifetimeSeconds, relayState: '' };
  });
}
