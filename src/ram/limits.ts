// RAM's fixed limits, in one module that imports nothing: the modules that enforce them and `quotas.ts`, which
// reports them (GetAccountSummary), both read them here, so neither has to import the other.

/** Versions a custom policy may keep (LimitExceeded.Policy.Version beyond). */
export const MAX_POLICY_VERSIONS = 5;
/** Characters of a policy document. */
export const MAX_POLICY_DOCUMENT = 6144;
/** A RAM user may hold two AccessKeys at a time, enough to rotate one. */
export const MAX_ACCESS_KEYS_PER_USER = 2;
/** Quota of virtual MFA devices per account (RAM's LimitExceeded.VirtualMFADevice). */
export const MAX_VIRTUAL_MFA_DEVICES = 5000;
