// Role gating for the UI. Cosmetic only: the server enforces every rule.

export type Role = 'admin' | 'viewer' | 'connector';

export type Action =
  | 'users.manage' // create, change roles, delete users
  | 'passwords.reset' // reset another user's password
  | 'databases.manage'
  | 'grants.manage'
  | 'keys.manage' // create and revoke API keys
  | 'observe.queries' // query list and detail, captured rows
  | 'observe.audit'
  | 'observe.all'; // see every user's connections and grants

const RULES: Record<Action, (roles: Set<string>) => boolean> = {
  'users.manage': (r) => r.has('admin'),
  'passwords.reset': (r) => r.has('admin'),
  'databases.manage': (r) => r.has('admin'),
  'grants.manage': (r) => r.has('admin'),
  // viewer-only users do not get API key buttons; admins and connectors do
  'keys.manage': (r) => r.has('admin') || r.has('connector'),
  'observe.queries': (r) => r.has('admin') || r.has('viewer'),
  'observe.audit': (r) => r.has('admin') || r.has('viewer'),
  'observe.all': (r) => r.has('admin') || r.has('viewer'),
};

export function can(roles: readonly string[] | null | undefined, action: Action): boolean {
  if (!roles) return false;
  return RULES[action](new Set(roles));
}
