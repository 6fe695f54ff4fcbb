// Tables of the CloudSSO user portal (migration 0010_portal).
export interface PortalSessionTable {
  id: string; // sha256 of the cookie token
  directory_id: string;
  user_id: string; // CloudSSO user
  mfa_present: number;
  created_at: string;
  expires_at: string;
}

export interface PortalTables {
  portal_sessions: PortalSessionTable;
}
