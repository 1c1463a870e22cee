import { describe, expect, it } from 'vitest';
import { can, type Action } from '../src/lib/roles';

const ACTIONS: Action[] = ['users.manage', 'passwords.reset', 'databases.manage', 'grants.manage', 'keys.manage', 'observe.queries', 'observe.audit', 'observe.all'];

function allowed(roles: string[]): Action[] {
  return ACTIONS.filter((a) => can(roles, a));
}

describe('role gating', () => {
  it('lets an admin do everything', () => {
    expect(allowed(['admin'])).toEqual(ACTIONS);
  });

  it('gives a viewer observability and no admin or key buttons', () => {
    expect(allowed(['viewer'])).toEqual(['observe.queries', 'observe.audit', 'observe.all']);
  });

  it('gives a connector only its API keys', () => {
    expect(allowed(['connector'])).toEqual(['keys.manage']);
  });

  it('adds up several roles', () => {
    expect(allowed(['viewer', 'connector'])).toEqual(['keys.manage', 'observe.queries', 'observe.audit', 'observe.all']);
  });

  it('allows nothing without roles', () => {
    expect(allowed([])).toEqual([]);
    expect(can(undefined, 'observe.queries')).toBe(false);
    expect(can(['unknown-role'], 'users.manage')).toBe(false);
  });
});
