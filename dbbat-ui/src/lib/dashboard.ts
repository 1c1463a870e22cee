// Dashboard figures computed from the list routes.
import type { Connection, Grant, Query } from '../api/types';

export const SOON_MS = 7 * 24 * 3600 * 1000;

export function isLive(c: Pick<Connection, 'disconnected_at'>): boolean {
  return !c.disconnected_at;
}

export type GrantStatus = 'active' | 'scheduled' | 'expired' | 'revoked';

export function grantStatus(g: Pick<Grant, 'starts_at' | 'expires_at' | 'revoked_at'>, now: Date = new Date()): GrantStatus {
  if (g.revoked_at) return 'revoked';
  const t = now.getTime();
  if (new Date(g.expires_at).getTime() <= t) return 'expired';
  if (new Date(g.starts_at).getTime() > t) return 'scheduled';
  return 'active';
}

/** Active grants that end within `withinMs`, soonest first. */
export function expiringSoon(grants: Grant[], now: Date = new Date(), withinMs = SOON_MS): Grant[] {
  const t = now.getTime();
  return grants
    .filter((g) => grantStatus(g, now) === 'active' && new Date(g.expires_at).getTime() - t <= withinMs)
    .sort((a, b) => new Date(a.expires_at).getTime() - new Date(b.expires_at).getTime());
}

/** A statement DBBat refused (grant controls or quotas), as opposed to one the target failed. */
export function isRefused(q: Pick<Query, 'refused'>): boolean {
  return q.refused === true;
}
