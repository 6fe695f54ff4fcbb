import { randomBytes } from 'node:crypto';
import { hashPassword } from './crypto/passwords.js';
import { createAccount, findManagementAccount, lockBootstrap, type Account } from './accounts/accounts.js';
import { issueAccessKey } from './ram/access-keys-store.js';
import type { Services } from './services.js';
import { randomString } from './ids.js';

export interface BootstrapResult {
  account: Account;
  created: boolean;
  rootPassword?: string;
  rootAccessKey?: { id: string; secret: string; fromEnv: boolean };
}

function generatePassword(): string {
  // 20 characters from every class, so it satisfies any password policy we allow.
  return `Gh-${randomBytes(12).toString('base64url')}9a!`;
}

/** On empty data: the management account, its root password and root AccessKey. Later starts reuse the data. */
export async function bootstrap(services: Services): Promise<BootstrapResult> {
  const { store, config, clock, secrets } = services;
  return store.db.transaction().execute(async (tx) => {
    await lockBootstrap(tx, store.dialect);
    const existing = await findManagementAccount(tx);
    if (existing) return { account: existing, created: false };
    const now = clock.now().toISOString();
    const generatedPassword = config.rootPassword ? undefined : generatePassword();
    const account = await createAccount(tx, {
      displayName: 'Management account',
      alias: `gatehouse-${randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
      type: 'management',
      rootPasswordHash: await hashPassword(config.rootPassword ?? (generatedPassword as string)),
      now,
    });
    const fromEnv = Boolean(config.rootAccessKeyId && config.rootAccessKeySecret);
    const key = await issueAccessKey(tx, secrets, {
      accountId: account.id,
      userId: null,
      now,
      ...(fromEnv ? { id: config.rootAccessKeyId, secret: config.rootAccessKeySecret } : {}),
    });
    return { account, created: true, rootPassword: generatedPassword, rootAccessKey: { id: key.row.id, secret: key.secret, fromEnv } };
  });
}
