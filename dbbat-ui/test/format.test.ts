import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDateTime, formatDuration, fromLocalInput, relativeTime, shortId, toLocalInput } from '../src/lib/format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024, '10 KiB'],
    [1024 * 1024, '1 MiB'],
    [5.25 * 1024 ** 3, '5.3 GiB'],
    [1024 ** 4 * 2, '2 TiB'],
  ])('formats %d as %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  it('rolls 1023.9 KiB over to the next unit', () => {
    expect(formatBytes(1024 * 1024 - 10)).toBe('1 MiB');
  });

  it('shows a dash for missing values', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
  });
});

describe('relativeTime', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  it.each([
    ['2026-11-25T11:59:50Z', 'just now'],
    ['2026-11-25T11:59:00Z', '1 minute ago'],
    ['2026-11-25T11:55:00Z', '5 minutes ago'],
    ['2026-11-25T10:00:00Z', '2 hours ago'],
    ['2026-11-24T12:00:00Z', '1 day ago'],
    ['2026-11-11T12:00:00Z', '2 weeks ago'],
    ['2026-11-25T12:00:20Z', 'in a few seconds'],
    ['2026-11-25T15:00:00Z', 'in 3 hours'],
    ['2026-12-02T12:00:00Z', 'in 1 week'],
    ['2024-11-25T12:00:00Z', '2 years ago'],
  ])('%s is "%s"', (value, text) => {
    expect(relativeTime(value, now)).toBe(text);
  });

  it('gives a dash for empty or invalid values', () => {
    expect(relativeTime(null, now)).toBe('—');
    expect(relativeTime('not a date', now)).toBe('—');
  });
});

describe('durations, counts and dates', () => {
  it('formats durations', () => {
    expect(formatDuration(0.42)).toBe('0.42 ms');
    expect(formatDuration(12.345)).toBe('12.3 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(null)).toBe('—');
  });

  it('formats counts with separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(undefined)).toBe('—');
  });

  it('round-trips datetime-local values through UTC', () => {
    const d = new Date(2026, 10, 25, 9, 30);
    expect(toLocalInput(d)).toBe('2026-11-25T09:30');
    expect(fromLocalInput('2026-11-25T09:30')).toBe(d.toISOString());
    expect(fromLocalInput('')).toBeUndefined();
    expect(formatDateTime(d)).toBe('2026-11-25 09:30:00');
  });

  it('shortens ids', () => {
    expect(shortId('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toBe('0193a1b2');
    expect(shortId(null)).toBe('—');
  });
});
