import { describe, expect, it } from 'vitest';
import { usage } from '../src/lib/usage';

describe('usage bar math', () => {
  it('is unlimited without a max', () => {
    expect(usage(42, null)).toEqual({ percent: 0, level: 'unlimited', used: 42, max: null });
    expect(usage(42, undefined).level).toBe('unlimited');
  });

  it('computes the share', () => {
    expect(usage(25, 100)).toMatchObject({ percent: 25, level: 'ok' });
    expect(usage(1, 3).percent).toBe(33.3);
  });

  it('warns from 80 %', () => {
    expect(usage(79, 100).level).toBe('ok');
    expect(usage(80, 100).level).toBe('warn');
  });

  it('is full at the quota and clamps above it', () => {
    expect(usage(100, 100)).toMatchObject({ percent: 100, level: 'full' });
    expect(usage(250, 100)).toMatchObject({ percent: 100, level: 'full', used: 250 });
  });

  it('shows a sliver for a tiny use and nothing for none', () => {
    expect(usage(1, 1_000_000).percent).toBe(1);
    expect(usage(0, 1000).percent).toBe(0);
    expect(usage(undefined, 1000)).toMatchObject({ percent: 0, used: 0, level: 'ok' });
  });

  it('treats a zero quota as used up', () => {
    expect(usage(0, 0)).toMatchObject({ percent: 100, level: 'full' });
  });
});
