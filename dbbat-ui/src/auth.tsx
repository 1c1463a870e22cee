// Session state: the signed-in user, login/logout, and session expiry (any 401).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api as defaultApi, type ApiClient } from './api/client';
import type { SessionUser } from './api/types';
import { useRouter } from './router';
import { stripBase } from './lib/basepath';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated';

interface AuthValue {
  status: AuthStatus;
  user: SessionUser | null;
  /** a message for the login page, e.g. after session expiry */
  notice: string | null;
  api: ApiClient;
  login: (username: string, password: string) => Promise<SessionUser>;
  /** use a token obtained elsewhere (SSO redirect ?token=) */
  adoptToken: (token: string) => Promise<void>;
  logout: () => Promise<void>;
  clearNotice: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

export const SESSION_EXPIRED = 'Your session has expired. Please sign in again.';

export function AuthProvider({ children, client = defaultApi }: { children: ReactNode; client?: ApiClient }) {
  const { navigate, base } = useRouter();
  const [user, setUser] = useState<SessionUser | null>(null);
  const [status, setStatus] = useState<AuthStatus>(client.token ? 'loading' : 'anonymous');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    client.onUnauthorized = () => {
      setUser(null);
      setStatus('anonymous');
      setNotice(SESSION_EXPIRED);
      // back to login; after signing in again, back to where the user was
      const here = stripBase(window.location.pathname, base);
      if (here !== '/login') {
        const next = here + window.location.search;
        navigate(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, { replace: true });
      }
    };
    return () => {
      client.onUnauthorized = undefined;
    };
  }, [client, navigate, base]);

  useEffect(() => {
    if (!client.token) return;
    let cancelled = false;
    client
      .me()
      .then((me) => {
        if (cancelled) return;
        setUser(me);
        setStatus('authenticated');
      })
      .catch(() => {
        if (cancelled) return;
        client.setToken(null);
        setUser(null);
        setStatus('anonymous');
      });
    return () => {
      cancelled = true;
    };
    // run once at start
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      const res = await client.login(username, password);
      client.setToken(res.token);
      setUser(res.user);
      setStatus('authenticated');
      setNotice(null);
      return res.user;
    },
    [client],
  );

  const adoptToken = useCallback(
    async (token: string) => {
      client.setToken(token);
      const me = await client.me();
      setUser(me);
      setStatus('authenticated');
      setNotice(null);
    },
    [client],
  );

  const logout = useCallback(async () => {
    await client.logout();
    setUser(null);
    setStatus('anonymous');
    setNotice(null);
    navigate('/login');
  }, [client, navigate]);

  const clearNotice = useCallback(() => setNotice(null), []);

  const value = useMemo(
    () => ({ status, user, notice, api: client, login, adoptToken, logout, clearNotice }),
    [status, user, notice, client, login, adoptToken, logout, clearNotice],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside <AuthProvider>');
  return ctx;
}
