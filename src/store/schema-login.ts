// Tables of RAM console logon: login profiles, password policy, security preference (migration 0005_login).
export interface LoginTables {}
