// Tables of the CloudSSO directory: directories, users, groups, settings, SCIM credentials (migration 0008_cloudsso).
export interface CloudSsoTables {}
