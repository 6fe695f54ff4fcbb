// Who a policy is attached to. A policy is named by its type and canonical name (System: as the registry spells it;
// Custom: as stored on the policy), which is how the authorizer finds it again. Kept apart from `attachments.ts` so
// the quota check can name these without importing the module that calls it.

export type AttachmentTarget = { type: 'User' | 'Group' | 'Role'; id: string; name: string };
export type PolicyRef = { type: 'System' | 'Custom'; name: string };
