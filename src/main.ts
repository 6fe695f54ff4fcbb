import { buildGatehouse } from './app.js';
import { loadConfig } from './config.js';
import { DataDirectoryInUse } from './store/db.js';

const config = loadConfig();
const gatehouse = await buildGatehouse(config).catch((error: unknown) => {
  if (!(error instanceof DataDirectoryInUse)) throw error;
  console.error(`Gatehouse cannot start: ${error.message}`);
  process.exit(1);
});
await gatehouse.app.listen({ port: config.port, host: config.host });

const { account, created, rootPassword, rootAccessKey } = gatehouse.bootstrap;
const lines = [
  `Gatehouse is listening on ${config.publicUrl} (${gatehouse.services.store.dialect})`,
  `  OpenAPI endpoint:        ${config.publicUrl}/  (Action + Version, signature V1 or V3)`,
  `  Management account:      ${account.id} (alias ${account.alias})`,
  `  Root sign-in:            ${config.publicUrl}/root/login`,
  `  RAM user logon:          ${config.publicUrl}/login.htm`,
  `  Dedicated logon page:    ${config.publicUrl}/${account.alias}.onaliyun.com/login.htm`,
  `  RAM console:             ${config.publicUrl}/ram/users`,
  `  CloudSSO console:        ${config.publicUrl}/cloudsso  (user portal: ${config.portalUrl ?? `${config.publicUrl}/sso`}/<DirectoryName>)`,
  `  Passkeys need a secure origin: on this machine use http://localhost:${config.port}`,
];
if (created) {
  lines.push('First start: the management account was created.');
  if (rootPassword) lines.push(`  Root password (shown once):      ${rootPassword}`);
  if (rootAccessKey && !rootAccessKey.fromEnv) {
    lines.push(`  Root AccessKey ID:               ${rootAccessKey.id}`);
    lines.push(`  Root AccessKey secret (shown once): ${rootAccessKey.secret}`);
  } else if (rootAccessKey) {
    lines.push(`  Root AccessKey ID (from GATEHOUSE_ROOT_ACCESS_KEY_ID): ${rootAccessKey.id}`);
  }
}
console.log(lines.join('\n'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gatehouse.close().then(() => process.exit(0));
  });
}
