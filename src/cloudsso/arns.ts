// CloudSSO resource names (seed 004): `acs:cloudsso:<region>:<account>:<path>`.

/** Where a resource lives: the request's region and account. */
type Scope = { region: string; accountId: string };

export const cloudssoArn = (c: Scope, path: string): string => `acs:cloudsso:${c.region}:${c.accountId}:${path}`;
export const directoryArn = (c: Scope, id: string): string => cloudssoArn(c, `directory/${id}`);
export const allDirectoriesArn = (c: Scope): string => cloudssoArn(c, 'directory/*');
export const userArn = (c: Scope, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/user/${id}`);
export const groupArn = (c: Scope, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/group/${id}`);
