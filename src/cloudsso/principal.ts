/** A user or group of a CloudSSO directory, as an assignment, a task or a RAM user provisioning names it. */
export interface Principal {
  type: 'User' | 'Group';
  id: string;
  name: string;
}
