// Tables of CloudSSO access: access configurations, provisionings, assignments, tasks, RAM user provisioning (migration 0009_cloudsso_access).

/** A RAM SAML identity provider of an account (CloudSSO provisioning creates `AliyunReservedSSO-<DirectoryId>`). */
export interface RamSamlProviderTable {
  account_id: string;
  name: string;
  name_key: string;
  description: string;
  metadata_document: string;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoAccessConfigurationTable {
  id: string; // ac-…
  directory_id: string;
  name: string;
  name_key: string;
  description: string;
  session_duration: number;
  relay_state: string;
  /** 1 while some account holds an outdated copy (StatusNotifications: ReprovisionRequired). */
  reprovision_required: number;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoAcPolicyTable {
  access_configuration_id: string;
  policy_type: 'System' | 'Inline';
  policy_name: string;
  policy_name_key: string;
  document: string | null;
  added_at: string;
}

export type ProvisioningStatus = 'Provisioned' | 'ReprovisionRequired' | 'DeprovisionFailed';

export interface CloudSsoProvisioningTable {
  access_configuration_id: string;
  directory_id: string;
  account_id: string;
  status: ProvisioningStatus;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoAssignmentTable {
  id: string;
  directory_id: string;
  access_configuration_id: string;
  target_type: string;
  target_id: string;
  principal_type: 'User' | 'Group';
  principal_id: string;
  created_at: string;
}

export type TaskType = 'ProvisionAccessConfiguration' | 'DeprovisionAccessConfiguration' | 'CreateAccessAssignment' | 'DeleteAccessAssignment';
export type TaskStatus = 'InProgress' | 'Success' | 'Failed';

export interface CloudSsoTaskTable {
  id: string; // t-…
  directory_id: string;
  task_type: TaskType;
  status: TaskStatus;
  access_configuration_id: string;
  access_configuration_name: string;
  principal_type: string | null;
  principal_id: string | null;
  principal_name: string | null;
  target_type: string;
  target_id: string;
  target_name: string;
  target_path: string;
  target_path_name: string;
  failure_reason: string | null;
  start_time: string;
  end_time: string | null;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  /** The worker (`host:pid:random`) whose lease ended the task, Success or Failed. */
  finished_by: string | null;
  payload: string; // JSON
}

export interface CloudSsoUserProvisioningTable {
  id: string; // up-…
  directory_id: string;
  owner_pk: string;
  principal_type: 'User' | 'Group';
  principal_id: string;
  principal_name: string;
  target_type: string;
  target_id: string;
  target_name: string;
  target_path: string;
  deletion_strategy: 'Delete' | 'Keep';
  duplication_strategy: 'KeepBoth' | 'TakeOver';
  description: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoProvisionedRamUserTable {
  user_provisioning_id: string;
  user_id: string;
  account_id: string;
  ram_user_id: string;
  created_at: string;
}

export interface CloudSsoUserProvisioningEventTable {
  id: string; // upe-…
  directory_id: string;
  user_provisioning_id: string;
  principal_type: string;
  principal_id: string;
  principal_name: string;
  user_id: string;
  target_type: string;
  target_id: string;
  target_name: string;
  target_path: string;
  event_type: 'Provision' | 'Deprovision';
  deletion_strategy: string;
  duplication_strategy: string;
  error_count: number;
  error_info: string;
  latest_async_time: string;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoAccessTables {
  ram_saml_providers: RamSamlProviderTable;
  cloudsso_access_configurations: CloudSsoAccessConfigurationTable;
  cloudsso_ac_policies: CloudSsoAcPolicyTable;
  cloudsso_provisionings: CloudSsoProvisioningTable;
  cloudsso_assignments: CloudSsoAssignmentTable;
  cloudsso_tasks: CloudSsoTaskTable;
  cloudsso_user_provisionings: CloudSsoUserProvisioningTable;
  cloudsso_provisioned_ram_users: CloudSsoProvisionedRamUserTable;
  cloudsso_user_provisioning_events: CloudSsoUserProvisioningEventTable;
}
