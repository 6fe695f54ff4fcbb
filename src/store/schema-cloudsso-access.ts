// Tables of CloudSSO access: access configurations, provisionings, assignments, tasks, RAM user provisioning (migration 0009_cloudsso_access).
export interface CloudSsoAccessTables {}
