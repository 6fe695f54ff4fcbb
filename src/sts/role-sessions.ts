import type { SecretBox } from '../crypto/secrets.js';
import { sha256Hex } from '../crypto/secrets.js';
import { newAccessKeySecret, newSecurityToken, newStsAccessKeyId } from '../ids.js';
import type { RamRole } from '../ram/roles.js';
import type { Tx } from '../store/db.js';

export interface RoleSessionCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiresAt: string;
}

export interface NewRoleSession {
  role: RamRole;
  sessionName: string;
  durationSeconds: number;
  sessionPolicy?: string;
  sourceIdentity?: string;
  callerArn: string;
  consoleSessionId?: string;
  now: Date;
}

/**
 * Issues temporary credentials for a role. The secret is stored sealed (the gateway must verify signatures with it);
 * the SecurityToken only as its SHA-256, since it is a bearer value we never need to read back.
 */
export async function issueRoleSession(tx: Tx, secrets: SecretBox, input: NewRoleSession): Promise<RoleSessionCredentials> {
  const credentials: RoleSessionCredentials = {
    accessKeyId: newStsAccessKeyId(),
    accessKeySecret: newAccessKeySecret(),
    securityToken: newSecurityToken(),
    expiresAt: new Date(input.now.getTime() + input.durationSeconds * 1000).toISOString(),
  };
  await tx
    .insertInto('sts_sessions')
    .values({
      access_key_id: credentials.accessKeyId,
      secret_sealed: secrets.seal(credentials.accessKeySecret),
      token_hash: sha256Hex(credentials.securityToken),
      account_id: input.role.account_id,
      role_id: input.role.id,
      role_name: input.role.name,
      session_name: input.sessionName,
      session_policy: input.sessionPolicy ?? null,
      source_identity: input.sourceIdentity ?? null,
      caller_arn: input.callerArn,
      console_session_id: input.consoleSessionId ?? null,
      created_at: input.now.toISOString(),
      expires_at: credentials.expiresAt,
    })
    .execute();
  return credentials;
}
