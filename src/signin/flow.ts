import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import type { LoginFlowTable } from '../store/schema.js';
import type { Sealer, SecretBox } from '../crypto/secrets.js';
import { randomBytesPooled } from '../crypto/random.js';
import { newTotpSecret } from '../ram/totp.js';
import type { ReturnAddress } from '../redirects/return-address.js';

// A sign-in attempt is an explicit object (after Ory Kratos): the step it is on, who it is for once known, where it
// returns to (validated when the flow is created), and when it expires. Strategies advance it.
//
// Between two steps it travels sealed in the browser's cookie (AES-GCM under a key only the servers hold), so a step
// writes nothing: it opens the flow, checks the user's current state, and hands back the next flow to seal. What a
// cookie cannot do by itself is end: a flow that ends (a session opened, or a refusal) has its id recorded, in the same
// transaction as the session, and a recorded flow can never end again. An administrator's change between two steps is
// caught by the user's logon generation, which the flow carries from its password step on.

/** A flow has the ended-flows table's columns (an ended flow is recorded as it was), and the logon generation. */
export type LoginFlow = Omit<LoginFlowTable, 'directory_id'> & {
  /** Portal flows: the CloudSSO directory signed in to. */
  directory_id: string | null;
  /** RAM user flows: the user's logon generation when the password (or passkey) was checked. */
  logon_generation: number | null;
};

export type FlowStep = LoginFlow['step'];

export const FLOW_LIFETIME_SECONDS = 15 * 60;

export function newFlow(input: {
  kind: LoginFlow['kind'];
  fixedDomain?: string | null;
  directoryId?: string;
  returnTo?: ReturnAddress | null;
  now: Date;
}): LoginFlow {
  return {
    id: randomBytesPooled(16).toString('base64url'),
    kind: input.kind,
    step: 'identify',
    fixed_domain: input.fixedDomain ?? null,
    account_id: null,
    user_id: null,
    login_name: null,
    // A return address long enough to push the cookie past what browsers keep (4 KB) is dropped, not the flow.
    return_to: input.returnTo && input.returnTo.length <= 1024 ? input.returnTo : null,
    mfa_done: 0,
    pending_secret: null,
    challenge: null,
    directory_id: input.directoryId ?? null,
    logon_generation: null,
    created_at: input.now.toISOString(),
    expires_at: new Date(input.now.getTime() + FLOW_LIFETIME_SECONDS * 1000).toISOString(),
  };
}

/** The flow moved on: a new value, sealed into the cookie by whoever answers the step. */
export function updateFlow(flow: LoginFlow, patch: Partial<Omit<LoginFlow, 'id' | 'kind' | 'created_at' | 'expires_at'>>): LoginFlow {
  return { ...flow, ...patch };
}

/** The cookie's value. Fields not set yet are left out: the cookie travels with every step, both ways. */
export function sealFlow(sealer: Sealer, flow: LoginFlow): string {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flow)) if (value !== null) set[key] = value;
  return sealer.seal(set);
}

/** The flow a cookie carries, or null when it is absent, not sealed by us, or expired. */
export function openFlow(sealer: Sealer, cookie: string | undefined, now: Date): LoginFlow | null {
  if (!cookie || cookie.length > 4096) return null;
  const opened = sealer.open(cookie) as Partial<LoginFlow> | undefined;
  if (typeof opened !== 'object' || opened === null || typeof opened.id !== 'string' || typeof opened.expires_at !== 'string') return null;
  if (Date.parse(opened.expires_at) <= now.getTime()) return null;
  return {
    id: opened.id,
    kind: opened.kind!,
    step: opened.step!,
    fixed_domain: opened.fixed_domain ?? null,
    account_id: opened.account_id ?? null,
    user_id: opened.user_id ?? null,
    login_name: opened.login_name ?? null,
    return_to: opened.return_to ?? null,
    mfa_done: opened.mfa_done ?? 0,
    pending_secret: opened.pending_secret ?? null,
    challenge: opened.challenge ?? null,
    directory_id: opened.directory_id ?? null,
    logon_generation: opened.logon_generation ?? null,
    created_at: opened.created_at!,
    expires_at: opened.expires_at,
  };
}

/**
 * The TOTP seed a flow's MFA binding step shows: made once per flow and kept sealed in it, so reloading the page shows
 * the same QR code and the codes typed later are checked against the seed the user scanned. `flow` is the flow to
 * seal into the cookie (it changed when the seed is new).
 */
export function pendingTotpSecret(secrets: SecretBox, flow: LoginFlow): { secret: string; flow: LoginFlow } {
  if (flow.pending_secret) return { secret: secrets.open(flow.pending_secret), flow };
  const secret = newTotpSecret();
  return { secret, flow: updateFlow(flow, { pending_secret: secrets.seal(secret) }) };
}

const recordEnd = preparedQuery((tx, p: { id: string; kind: string; step: string; user_id: string | null; created_at: string; expires_at: string }) =>
  tx
    .insertInto('login_flows')
    .values({
      id: p.id,
      kind: p.kind as LoginFlow['kind'],
      step: p.step as FlowStep,
      user_id: p.user_id,
      mfa_done: 0,
      created_at: p.created_at,
      expires_at: p.expires_at,
    })
    .onConflict((oc) => oc.column('id').doNothing()),
);

/**
 * Ends a flow for good (kept until it would have expired anyway); false when it had ended already, so the cookie
 * was sent again after its logon finished or was refused.
 */
export async function endFlow(tx: Tx, flow: LoginFlow): Promise<boolean> {
  const { numAffectedRows } = await recordEnd(tx, {
    id: flow.id,
    kind: flow.kind,
    step: flow.step,
    user_id: flow.user_id,
    created_at: flow.created_at,
    expires_at: flow.expires_at,
  });
  return Number(numAffectedRows ?? 0) > 0;
}

const endedById = preparedQuery((tx, p: { id: string }) => tx.selectFrom('login_flows').select('id').where('id', '=', p.id));

/** True once the flow has ended: steps with effects of their own (a code used up, a password changed) check first. */
export async function hasEnded(tx: Tx, flow: LoginFlow): Promise<boolean> {
  return (await endedById(tx, { id: flow.id })).rows.length > 0;
}

/**
 * Ended flows are kept a little past their expiry, so a node whose clock runs behind the sweeping node's cannot
 * take an expired-here cookie for a live one whose end was already swept.
 */
const SWEEP_MARGIN_MS = 5 * 60 * 1000;

export async function sweepFlows(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('login_flows').where('expires_at', '<=', new Date(now.getTime() - SWEEP_MARGIN_MS).toISOString()).execute();
}
