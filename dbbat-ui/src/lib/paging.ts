// Keyset paging state for "newest first" lists: the server returns rows with uid < before.
// We ask for limit + 1 rows; the extra row only tells whether an older page exists.

export interface KeysetState {
  /** the `before` cursor of the current page; undefined = newest page */
  before: string | undefined;
  /** cursors of the pages we came through, to go back */
  history: (string | undefined)[];
  limit: number;
}

export function initialKeyset(limit = 50): KeysetState {
  return { before: undefined, history: [], limit };
}

/** Splits a fetched batch (fetched with limit + 1) into the visible page and the has-older flag. */
export function pageOf<T>(rows: T[], state: KeysetState): { items: T[]; hasOlder: boolean } {
  return { items: rows.slice(0, state.limit), hasOlder: rows.length > state.limit };
}

/** Next (older) page: its cursor is the uid of the last visible row. */
export function olderPage<T extends { uid: string }>(state: KeysetState, items: T[]): KeysetState {
  if (items.length === 0) return state;
  return { ...state, history: [...state.history, state.before], before: items[items.length - 1].uid };
}

/** Previous (newer) page. */
export function newerPage(state: KeysetState): KeysetState {
  if (state.history.length === 0) return state;
  const history = state.history.slice(0, -1);
  return { ...state, history, before: state.history[state.history.length - 1] };
}

export function hasNewer(state: KeysetState): boolean {
  return state.history.length > 0;
}

/** Back to the newest page (after a filter change). */
export function resetKeyset(state: KeysetState): KeysetState {
  return initialKeyset(state.limit);
}

/** Page number, 1-based, for display. */
export function pageNumber(state: KeysetState): number {
  return state.history.length + 1;
}

/** Cursor-paging for captured rows (opaque next_cursor). */
export interface CursorState {
  cursor: string | undefined;
  history: (string | undefined)[];
}

export function nextCursor(state: CursorState, next: string | undefined | null): CursorState {
  if (!next) return state;
  return { cursor: next, history: [...state.history, state.cursor] };
}

export function prevCursor(state: CursorState): CursorState {
  if (state.history.length === 0) return state;
  return { cursor: state.history[state.history.length - 1], history: state.history.slice(0, -1) };
}
