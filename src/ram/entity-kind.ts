/** The kinds of entity a request may name in any case, each found case-insensitively and stored in one spelling. */
export type EntityKind = 'user' | 'user-principal' | 'group' | 'role' | 'role-arn' | 'policy' | 'saml-provider';
