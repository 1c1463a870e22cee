// Resolves user and database uids to names for tables.
import { useMemo } from 'react';
import { useAuth } from './auth';
import { useAsync } from './hooks';
import type { Database, User } from './api/types';
import { shortId } from './lib/format';

export interface Names {
  users: User[];
  databases: Database[];
  userName: (uid: string | null | undefined) => string;
  dbName: (uid: string | null | undefined) => string;
  reload: () => void;
}

export function useNames(): Names {
  const { api } = useAuth();
  const state = useAsync(async () => {
    const [users, databases] = await Promise.all([api.listUsers().catch(() => [] as User[]), api.listDatabases().catch(() => [] as Database[])]);
    return { users, databases };
  }, []);
  return useMemo(() => {
    const users = state.data?.users ?? [];
    const databases = state.data?.databases ?? [];
    const u = new Map(users.map((x) => [x.uid, x.username]));
    const d = new Map(databases.map((x) => [x.uid, x.name]));
    return {
      users,
      databases,
      userName: (uid) => (uid ? u.get(uid) ?? shortId(uid) : '—'),
      dbName: (uid) => (uid ? d.get(uid) ?? shortId(uid) : '—'),
      reload: state.reload,
    };
  }, [state.data, state.reload]);
}
