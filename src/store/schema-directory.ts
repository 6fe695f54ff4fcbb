// Tables of the Resource Directory: the directory, folders, member accounts (migration 0007_resource_directory).
export interface DirectoryTables {}
