import type { Services } from '../services.js';
import { inTransaction, type Tx } from '../store/db.js';
import { verifyAgainstDummy, verifyPassword } from '../crypto/passwords.js';
import { isSourceIpAllowed } from '../ram/security-preference.js';
import { verifyConsecutiveTotp, verifyTotp } from '../ram/totp.js';
import { addMfaDevice } from '../cloudsso/mfa.js';
import type { Directory } from '../cloudsso/directories.js';
import { findUserByName, isUserLocked, type SsoUser } from '../cloudsso/users.js';
import { createPortalSession } from '../sessions/portal-sessions.js';
import { endFlow, updateFlow, type LoginFlow } from './flow.js';
import { MFA_ATTEMPTS_MESSAGE, mfaAttemptAllowed } from './mfa-attempts.js';

// Sign-in to the CloudSSO user portal (seed 000): user name and password → MFA (or adding a first MFA device,
// when the directory's MFA settings ask for it) → an 8-hour portal session. Same shape as the RAM user logon.

export type PortalOutcome =
  | { kind: 'next'; flow: LoginFlow }
  | { kind: 'retry'; message: string }
  | { kind: 'refused'; message: string }
  /** The flow had ended already (its cookie was sent again): the sign-in starts over. */
  | { kind: 'restart' }
  | { kind: 'done'; token: string; redirect: string };

export const PORTAL_MESSAGES = {
  wrongCredentials: 'The user name or password is incorrect.',
  disabled: 'Your user is disabled. Contact your CloudSSO administrator.',
  network: 'You cannot sign in from this network address. Contact your CloudSSO administrator.',
  wrongCode: 'The verification code is incorrect or was already used. Enter the next code.',
} as const;

const LOCK_MS = 60 * 60 * 1000;

/** The directory's MFA settings: on for everyone, each user's own choice, or off. */
export function isPortalMfaRequired(directory: Directory, user: SsoUser): boolean {
  if (directory.mfa_authentication_settings === 'Enabled') return true;
  return directory.mfa_authentication_settings === 'Byuser' && user.mfa_authentication_settings === 'Enabled';
}

async function userOf(tx: Tx, flow: LoginFlow): Promise<SsoUser | undefined> {
  if (!flow.user_id || !flow.directory_id) return undefined;
  return tx.selectFrom('cloudsso_users').selectAll().where('id', '=', flow.user_id).where('directory_id', '=', flow.directory_id).executeTakeFirst();
}

function refusal(directory: Directory, user: SsoUser, sourceIp: string): string | null {
  if (user.status !== 'Enabled') return PORTAL_MESSAGES.disabled;
  if (!isSourceIpAllowed(directory.login_network_masks, sourceIp)) return PORTAL_MESSAGES.network;
  return null;
}

export async function submitPortalPassword(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { userName: string; password: string; sourceIp: string },
): Promise<PortalOutcome> {
  const now = services.clock.now();
  const user = await findUserByName(tx, directory.id, input.userName.trim());
  if (!user?.password_hash) {
    await verifyAgainstDummy(input.password);
    return { kind: 'retry', message: PORTAL_MESSAGES.wrongCredentials };
  }
  // A locked user is answered as a wrong password, also for the right one, after the same verification: neither the
  // answer nor its time may tell a lock (an existing user). Administrators see the lock on the user's console page.
  const isRight = await verifyPassword(user.password_hash, input.password);
  if (isUserLocked(user, now)) return { kind: 'retry', message: PORTAL_MESSAGES.wrongCredentials };
  if (!isRight) {
    const failures = user.failed_attempts + 1;
    const lock = directory.max_login_attempts > 0 && failures >= directory.max_login_attempts;
    await tx
      .updateTable('cloudsso_users')
      .set({ failed_attempts: lock ? 0 : failures, locked_until: lock ? new Date(now.getTime() + LOCK_MS).toISOString() : null })
      .where('id', '=', user.id)
      .execute();
    return { kind: 'retry', message: PORTAL_MESSAGES.wrongCredentials };
  }
  const refused = refusal(directory, user, input.sourceIp);
  if (refused) return { kind: 'refused', message: refused };
  await tx.updateTable('cloudsso_users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
  const next = updateFlow(flow, { user_id: user.id, login_name: user.user_name });
  if (!isPortalMfaRequired(directory, user)) return complete(services, tx, next, user, false);
  const device = await tx.selectFrom('cloudsso_mfa_devices').select('id').where('user_id', '=', user.id).executeTakeFirst();
  return { kind: 'next', flow: updateFlow(next, { step: device ? 'mfa' : 'mfa-bind' }) };
}

/** Accepts a code from any of the user's devices, once: the step is stored with a compare-and-set. */
export async function verifyPortalMfaCode(tx: Tx, services: Services, userId: string, code: string, now: Date): Promise<boolean> {
  const devices = await tx.selectFrom('cloudsso_mfa_devices').selectAll().where('user_id', '=', userId).execute();
  for (const device of devices) {
    const last = Number(device.last_used_step);
    const step = verifyTotp(services.secrets.open(device.secret_sealed), code, now, last);
    if (step === null) continue;
    const updated = await tx
      .updateTable('cloudsso_mfa_devices')
      .set({ last_used_step: step })
      .where('id', '=', device.id)
      .where('last_used_step', '<', step)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return true;
  }
  return false;
}

export async function submitPortalMfaCode(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { code: string; sourceIp: string },
): Promise<PortalOutcome> {
  const user = await userOf(tx, flow);
  if (!user) return { kind: 'refused', message: PORTAL_MESSAGES.disabled };
  const refused = refusal(directory, user, input.sourceIp);
  if (refused) return { kind: 'refused', message: refused };
  if (!(await mfaAttemptAllowed(services, `portal:${user.id}`, services.clock.now()))) return { kind: 'refused', message: MFA_ATTEMPTS_MESSAGE };
  if (!(await verifyPortalMfaCode(tx, services, user.id, input.code.trim(), services.clock.now()))) {
    return { kind: 'retry', message: PORTAL_MESSAGES.wrongCode };
  }
  return complete(services, tx, flow, user, true);
}

export async function submitPortalMfaBinding(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { code1: string; code2: string; sourceIp: string },
): Promise<PortalOutcome> {
  const now = services.clock.now();
  const user = await userOf(tx, flow);
  if (!user || !flow.pending_secret) return { kind: 'refused', message: PORTAL_MESSAGES.disabled };
  const refused = refusal(directory, user, input.sourceIp);
  if (refused) return { kind: 'refused', message: refused };
  const secret = services.secrets.open(flow.pending_secret);
  const step = verifyConsecutiveTotp(secret, input.code1.trim(), input.code2.trim(), now);
  if (step === null) return { kind: 'retry', message: PORTAL_MESSAGES.wrongCode };
  const secretSealed = flow.pending_secret;
  // The device is added with the session, in the transaction that ends the flow: a flow sent twice adds it once.
  return complete(services, tx, flow, user, true, (t) =>
    addMfaDevice(t, user, { name: 'Virtual MFA device', secretSealed, lastUsedStep: step }, now.toISOString()).then(() => undefined),
  );
}

async function complete(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  user: SsoUser,
  mfaPresent: boolean,
  withSession?: (tx: Tx) => Promise<void>,
): Promise<PortalOutcome> {
  const now = services.clock.now();
  // One transaction: the flow ends once, with its session.
  return inTransaction(tx, async (t): Promise<PortalOutcome> => {
    if (!(await endFlow(t, flow))) return { kind: 'restart' };
    await withSession?.(t);
    await t.updateTable('cloudsso_users').set({ last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
    const { token } = await createPortalSession(t, { directoryId: user.directory_id, userId: user.id, mfaPresent, now });
    return { kind: 'done', token, redirect: flow.return_to ?? '' };
  });
}
