import { randomBytes } from 'node:crypto';
import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import type { LoginFlowTable } from '../store/schema.js';
import { sha256Hex, type SecretBox } from '../crypto/secrets.js';
import { newTotpSecret } from '../ram/totp.js';

// A sign-in attempt is an explicit object (after Ory Kratos): the step it is on, who it is for once known,
// where it returns to (validated when the flow is created), and when it expires. Strategies advance it.

export type LoginFlow = LoginFlowTable;
export type FlowStep = LoginFlow['step'];

export const FLOW_LIFETIME_SECONDS = 15 * 60;

export async function createFlow(
  tx: Tx,
  input: { kind: LoginFlow['kind']; fixedDomain?: string | null; directoryId?: string; returnTo?: string | null; now: Date },
): Promise<{ token: string; flow: LoginFlow }> {
  const token = randomBytes(24).toString('base64url');
  const flow: LoginFlow = {
    id: sha256Hex(token),
    kind: input.kind,
    step: 'identify',
    fixed_domain: input.fixedDomain ?? null,
    account_id: null,
    user_id: null,
    login_name: null,
    return_to: input.returnTo ?? null,
    mfa_done: 0,
    pending_secret: null,
    challenge: null,
    directory_id: input.directoryId ?? null,
    created_at: input.now.toISOString(),
    expires_at: new Date(input.now.getTime() + FLOW_LIFETIME_SECONDS * 1000).toISOString(),
  };
  await tx.insertInto('login_flows').values(flow).execute();
  return { token, flow };
}

const flowById = preparedQuery((tx, p: { id: string }) => tx.selectFrom('login_flows').selectAll().where('id', '=', p.id));

export async function loadFlow(tx: Tx, token: string | undefined, now: Date): Promise<LoginFlow | null> {
  if (!token || token.length > 64) return null;
  const [flow] = (await flowById(tx, { id: sha256Hex(token) })).rows;
  if (!flow || Date.parse(flow.expires_at) <= now.getTime()) return null;
  return flow;
}

export async function updateFlow(tx: Tx, flow: LoginFlow, patch: Partial<Omit<LoginFlow, 'id'>>): Promise<LoginFlow> {
  await tx.updateTable('login_flows').set(patch).where('id', '=', flow.id).execute();
  return { ...flow, ...patch };
}

/**
 * The TOTP seed a flow's MFA binding step shows: made once per flow and kept sealed in it, so reloading the page shows
 * the same QR code and the codes typed later are checked against the seed the user scanned.
 */
export async function pendingTotpSecret(tx: Tx, secrets: SecretBox, flow: LoginFlow): Promise<string> {
  if (flow.pending_secret) return secrets.open(flow.pending_secret);
  const secret = newTotpSecret();
  await updateFlow(tx, flow, { pending_secret: secrets.seal(secret) });
  return secret;
}

/** Ends a flow; false when it was already gone (expired and swept, or ended by an administrator's change). */
export async function deleteFlow(tx: Tx, flow: LoginFlow): Promise<boolean> {
  const deleted = await tx.deleteFrom('login_flows').where('id', '=', flow.id).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export async function sweepFlows(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('login_flows').where('expires_at', '<=', now.toISOString()).execute();
}
