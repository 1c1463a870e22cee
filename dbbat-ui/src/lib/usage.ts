// Usage bar math for grant quotas.

export type UsageLevel = 'ok' | 'warn' | 'full' | 'unlimited';

export interface Usage {
  /** 0..100, clamped; 0 when unlimited. */
  percent: number;
  level: UsageLevel;
  used: number;
  max: number | null;
}

/** used/max as a bar: warn from 80 %, full at 100 % (the proxy refuses the next statement). */
export function usage(used: number | null | undefined, max: number | null | undefined): Usage {
  const u = Math.max(0, used ?? 0);
  if (max === null || max === undefined || max < 0) return { percent: 0, level: 'unlimited', used: u, max: null };
  if (max === 0) return { percent: 100, level: 'full', used: u, max };
  const raw = (u / max) * 100;
  const percent = Math.min(100, Math.max(0, raw));
  const level: UsageLevel = u >= max ? 'full' : raw >= 80 ? 'warn' : 'ok';
  // a tiny non-zero use still shows a sliver
  return { percent: u > 0 && percent < 1 ? 1 : Math.round(percent * 10) / 10, level, used: u, max };
}
