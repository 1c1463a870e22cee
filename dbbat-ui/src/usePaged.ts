// A keyset-paged list bound to filters: newest first, limit + 1 fetch to know if older rows exist.
import { useState } from 'react';
import { useAsync } from './hooks';
import { hasNewer, initialKeyset, newerPage, olderPage, pageNumber, pageOf, type KeysetState } from './lib/paging';

export function usePaged<T extends { uid: string }>(fetchPage: (before: string | undefined, limit: number) => Promise<T[]>, filterKey: string, limit = 50) {
  const [paging, setPaging] = useState<{ key: string; state: KeysetState }>({ key: filterKey, state: initialKeyset(limit) });
  // filters changed: back to the newest page
  const state = paging.key === filterKey ? paging.state : initialKeyset(limit);
  const result = useAsync(() => fetchPage(state.before, state.limit + 1), [filterKey, state.before]);
  const page = pageOf(result.data ?? [], state);
  return {
    items: page.items,
    loaded: result.data !== undefined,
    loading: result.loading,
    error: result.error,
    reload: result.reload,
    pager: {
      page: pageNumber(state),
      hasNewer: hasNewer(state),
      hasOlder: page.hasOlder,
      onNewer: () => setPaging({ key: filterKey, state: newerPage(state) }),
      onOlder: () => setPaging({ key: filterKey, state: olderPage(state, page.items) }),
    },
  };
}

export type Paged<T extends { uid: string }> = ReturnType<typeof usePaged<T>>;
