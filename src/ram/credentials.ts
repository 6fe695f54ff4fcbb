import type { SecretBox } from '../crypto/secrets.js';
import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import { assumedRoleArn, roleArn, rootPrincipal, userArn, type Principal } from './principal.js';

export type Credential =
  | { type: 'access-key'; accessKeyId: string; secret: string; principal: Principal; active: boolean; lastUsedAt: string | null }
  | { type: 'sts'; accessKeyId: string; secret: string; principal: Principal; tokenHash: string; expiresAt: string };

const stsSessionById = preparedQuery((tx, p: { id: string }) => tx.selectFrom('sts_sessions').selectAll().where('access_key_id', '=', p.id));

const accessKeyById = preparedQuery((tx, p: { id: string }) =>
  tx
    .selectFrom('access_keys as k')
    .leftJoin('ram_users as u', 'u.id', 'k.user_id')
    .select(['k.id', 'k.account_id', 'k.user_id', 'k.secret_sealed', 'k.status', 'k.last_used_at', 'u.name as user_name'])
    .where('k.id', '=', p.id),
);

/** Looks up an AccessKey (permanent or STS) and the identity it belongs to. One prepared query: this runs on every call. */
export async function findCredential(tx: Tx, secrets: SecretBox, accessKeyId: string): Promise<Credential | null> {
  if (accessKeyId.startsWith('STS.')) {
    const [row] = (await stsSessionById(tx, { id: accessKeyId })).rows;
    if (!row) return null;
    return {
      type: 'sts',
      accessKeyId,
      secret: secrets.open(row.secret_sealed),
      tokenHash: row.token_hash,
      expiresAt: row.expires_at,
      principal: {
        kind: 'assumed-role',
        accountId: row.account_id,
        arn: assumedRoleArn(row.account_id, row.role_name, row.session_name),
        principalId: `${row.role_id}:${row.session_name}`,
        roleId: row.role_id,
        roleName: row.role_name,
        roleArn: roleArn(row.account_id, row.role_name),
        sessionName: row.session_name,
        sessionPolicy: row.session_policy,
        sourceIdentity: row.source_identity,
        expiresAt: row.expires_at,
      },
    };
  }
  const [row] = (await accessKeyById(tx, { id: accessKeyId })).rows;
  if (!row) return null;
  const principal: Principal =
    row.user_id && row.user_name
      ? { kind: 'user', accountId: row.account_id, arn: userArn(row.account_id, row.user_name), principalId: row.user_id, userId: row.user_id, userName: row.user_name }
      : rootPrincipal(row.account_id);
  return {
    type: 'access-key',
    accessKeyId,
    secret: secrets.open(row.secret_sealed),
    principal,
    active: row.status === 'Active',
    lastUsedAt: row.last_used_at,
  };
}

/** Records the last use, at most once a minute per key so reads stay reads. */
export async function touchAccessKey(tx: Tx, credential: Credential, now: Date): Promise<void> {
  if (credential.type !== 'access-key') return;
  if (credential.lastUsedAt && now.getTime() - Date.parse(credential.lastUsedAt) < 60_000) return;
  await tx.updateTable('access_keys').set({ last_used_at: now.toISOString() }).where('id', '=', credential.accessKeyId).execute();
}
