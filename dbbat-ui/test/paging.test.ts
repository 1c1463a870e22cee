import { describe, expect, it } from 'vitest';
import { hasNewer, initialKeyset, newerPage, nextCursor, olderPage, pageNumber, pageOf, prevCursor } from '../src/lib/paging';

const rows = (ids: string[]) => ids.map((uid) => ({ uid }));

describe('keyset paging', () => {
  it('starts on the newest page', () => {
    const s = initialKeyset(2);
    expect(s.before).toBeUndefined();
    expect(hasNewer(s)).toBe(false);
    expect(pageNumber(s)).toBe(1);
  });

  it('uses the extra row only to know that older rows exist', () => {
    const s = initialKeyset(2);
    expect(pageOf(rows(['c', 'b', 'a']), s)).toEqual({ items: rows(['c', 'b']), hasOlder: true });
    expect(pageOf(rows(['c', 'b']), s)).toEqual({ items: rows(['c', 'b']), hasOlder: false });
  });

  it('walks older with the last uid as cursor and back again', () => {
    let s = initialKeyset(2);
    s = olderPage(s, rows(['f', 'e']));
    expect(s.before).toBe('e');
    expect(pageNumber(s)).toBe(2);
    s = olderPage(s, rows(['d', 'c']));
    expect(s.before).toBe('c');
    expect(hasNewer(s)).toBe(true);
    s = newerPage(s);
    expect(s.before).toBe('e');
    s = newerPage(s);
    expect(s.before).toBeUndefined();
    expect(hasNewer(s)).toBe(false);
    expect(newerPage(s)).toBe(s);
  });

  it('does not move past an empty page', () => {
    const s = initialKeyset(2);
    expect(olderPage(s, [])).toBe(s);
  });

  it('pages captured rows with opaque cursors', () => {
    let c = { cursor: undefined as string | undefined, history: [] as (string | undefined)[] };
    c = nextCursor(c, 'eyJvZmZzZXQiOjUwfQ==');
    expect(c.cursor).toBe('eyJvZmZzZXQiOjUwfQ==');
    c = nextCursor(c, 'eyJvZmZzZXQiOjEwMH0=');
    c = prevCursor(c);
    expect(c.cursor).toBe('eyJvZmZzZXQiOjUwfQ==');
    c = prevCursor(c);
    expect(c.cursor).toBeUndefined();
    expect(nextCursor(c, null)).toBe(c);
  });

});
