// Filters kept in the URL query string, so a filtered list is a deep link.
import { useCallback } from 'react';
import { useRouter } from './router';

export function useFilters<K extends string>(keys: readonly K[]): [Record<K, string>, (k: K, v: string) => void, () => void] {
  const { location, navigate } = useRouter();
  const values = {} as Record<K, string>;
  for (const k of keys) values[k] = location.search.get(k) ?? '';
  const path = location.path;
  const search = location.search.toString();
  const set = useCallback(
    (k: K, v: string) => {
      const params = new URLSearchParams(search);
      if (v) params.set(k, v);
      else params.delete(k);
      const q = params.toString();
      navigate(path + (q ? `?${q}` : ''), { replace: true });
    },
    [path, search, navigate],
  );
  const clear = useCallback(() => navigate(path, { replace: true }), [path, navigate]);
  return [values, set, clear];
}
