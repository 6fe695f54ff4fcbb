// Tables of the Resource Directory: the directory, folders, member accounts (migration 0007_resource_directory).

export interface RdDirectoryTable {
  id: string; // rd-…
  management_account_id: string;
  root_folder_id: string; // r-…
  created_at: string;
}

export interface RdFolderTable {
  id: string; // r-… (Root) or fd-…
  directory_id: string;
  parent_id: string | null;
  name: string;
  depth: number; // Root 0
  path: string; // RDPath: rd-…/r-…/fd-…
  created_at: string;
}

export interface RdAccountTable {
  account_id: string;
  directory_id: string;
  folder_id: string;
  display_name: string;
  account_name: string;
  join_method: 'created' | 'invited';
  type: 'ResourceAccount' | 'CloudAccount';
  status: string;
  join_time: string;
  modify_time: string;
}

export interface DirectoryTables {
  rd_directories: RdDirectoryTable;
  rd_folders: RdFolderTable;
  rd_accounts: RdAccountTable;
}
