import type { ReactNode } from 'react';
import type { Paged } from '../usePaged';
import { Empty, ErrorBanner, Loading, Pager } from './ui';

/** A keyset-paged list: its error, the first load, `empty` when nothing matches, the rows, then the pager. */
export function PagedList<T extends { uid: string }>({ list, empty, children }: { list: Paged<T>; empty: string; children: (items: T[]) => ReactNode }) {
  return (
    <>
      <ErrorBanner error={list.error} />
      {list.loading && !list.loaded && <Loading />}
      {list.loaded && list.items.length === 0 && <Empty>{empty}</Empty>}
      {list.items.length > 0 && children(list.items)}
      {list.loaded && <Pager {...list.pager} />}
    </>
  );
}
