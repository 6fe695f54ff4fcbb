// System policies: maintained by the platform, attachable in every account, never editable.
import { parsePolicyDocument, type CompiledPolicy } from './document.js';

export interface SystemPolicy {
  name: string;
  description: string;
  document: string;
  defaultVersion: 'v1';
  createDate: string;
  updateDate: string;
}

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const CREATED = '2015-04-28T16:00:00Z';

function systemPolicy(name: string, description: string, statements: Statement[], updateDate = CREATED): SystemPolicy {
  const document = JSON.stringify({ Version: '1', Statement: statements }, null, 2);
  return { name, description, document, defaultVersion: 'v1', createDate: CREATED, updateDate };
}

const reads = (service: string, verbs: string[]): string[] => verbs.map((verb) => `${service}:${verb}*`);

export const systemPolicies: readonly SystemPolicy[] = Object.freeze([
  systemPolicy('AdministratorAccess', 'Full control of every cloud resource in the account, including RAM itself.', [
    { Effect: 'Allow', Action: '*', Resource: '*' },
  ]),
  systemPolicy(
    'ReadOnlyAccess',
    'Lets the holder look at every resource in the account (get, list, describe, query) without changing anything.',
    [{ Effect: 'Allow', Action: reads('*', ['Get', 'List', 'Describe', 'Query', 'BatchGet', 'Check']), Resource: '*' }],
  ),
  systemPolicy(
    'AliyunRAMFullAccess',
    'Manage RAM: users, groups, roles, policies, access keys, MFA devices and account security settings.',
    [{ Effect: 'Allow', Action: 'ram:*', Resource: '*' }],
  ),
  systemPolicy('AliyunRAMReadOnlyAccess', 'View RAM users, groups, roles, policies and settings without changing them.', [
    { Effect: 'Allow', Action: reads('ram', ['Get', 'List']), Resource: '*' },
  ]),
  systemPolicy(
    'AliyunCloudSSOFullAccess',
    'Administer CloudSSO: directories, users, groups, access configurations and account assignments, with the read access to the resource directory and RAM that this requires.',
    [
      { Effect: 'Allow', Action: 'cloudsso:*', Resource: '*' },
      { Effect: 'Allow', Action: [...reads('resourcemanager', ['Get', 'List']), ...reads('ram', ['Get', 'List'])], Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ram:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'ram:ServiceName': 'cloudsso.aliyuncs.com' } },
      },
    ],
  ),
  systemPolicy('AliyunCloudSSOReadOnlyAccess', 'View the CloudSSO configuration (directories, users, groups, access configurations, assignments) without changing it.', [
    { Effect: 'Allow', Action: reads('cloudsso', ['Get', 'List', 'Check']), Resource: '*' },
  ]),
  systemPolicy('AliyunSTSAssumeRoleAccess', 'Call STS AssumeRole for any role whose trust policy lets the caller in.', [
    { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
  ]),
  systemPolicy(
    'AliyunResourceDirectoryFullAccess',
    'Manage the resource directory: folders, member accounts, invitations, delegated administrators and control policies.',
    [{ Effect: 'Allow', Action: 'resourcemanager:*', Resource: '*' }],
  ),
  systemPolicy(
    'AliyunResourceDirectoryReadOnlyAccess',
    'View the resource directory, its folders and member accounts without changing them.',
    [{ Effect: 'Allow', Action: reads('resourcemanager', ['Get', 'List', 'Check']), Resource: '*' }],
  ),
  // Everyday product policies (CloudSSO access configurations hold up to 20 of them).
  ...(
    [
      ['ECS', 'ecs', 'Elastic Compute Service (ECS)'],
      ['OSS', 'oss', 'Object Storage Service (OSS)'],
      ['VPC', 'vpc', 'Virtual Private Cloud (VPC)'],
      ['RDS', 'rds', 'ApsaraDB RDS'],
      ['SLB', 'slb', 'Server Load Balancer (SLB)'],
      ['Log', 'log', 'Simple Log Service'],
      ['KMS', 'kms', 'Key Management Service (KMS)'],
    ] as const
  ).flatMap(([short, service, title]) => [
    systemPolicy(`Aliyun${short}FullAccess`, `Manage ${title}: create, change and delete its resources.`, [{ Effect: 'Allow', Action: `${service}:*`, Resource: '*' }]),
    systemPolicy(`Aliyun${short}ReadOnlyAccess`, `View ${title} resources without changing them.`, [
      { Effect: 'Allow', Action: reads(service, ['Get', 'List', 'Describe', 'Query']), Resource: '*' },
    ]),
  ]),
]);

const byName = new Map(systemPolicies.map((p) => [p.name.toLowerCase(), p]));
const compiled = new Map<string, CompiledPolicy>();

export function findSystemPolicy(name: string): SystemPolicy | undefined {
  return byName.get(name.toLowerCase());
}

export function compiledSystemPolicy(name: string): CompiledPolicy | undefined {
  const key = name.toLowerCase();
  const hit = compiled.get(key);
  if (hit) return hit;
  const policy = byName.get(key);
  if (!policy) return undefined;
  const parsed = parsePolicyDocument(policy.document, { maxLength: Number.MAX_SAFE_INTEGER });
  // The documents above are ours; one that does not parse is a programming error, not a runtime condition.
  if (!parsed.ok) throw new Error(`System policy ${policy.name} does not parse: ${parsed.message}`);
  compiled.set(key, parsed.policy);
  return parsed.policy;
}
