// A small history router with deep links under the base path.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { detectBase, stripBase, withBase } from './lib/basepath';

export interface Location {
  path: string;
  search: URLSearchParams;
}

interface RouterValue {
  location: Location;
  base: string;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

function readLocation(base: string): Location {
  return { path: stripBase(window.location.pathname, base), search: new URLSearchParams(window.location.search) };
}

export function Router({ children, base = detectBase() }: { children: ReactNode; base?: string }) {
  const [location, setLocation] = useState<Location>(() => readLocation(base));

  useEffect(() => {
    const onPop = () => setLocation(readLocation(base));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [base]);

  const navigate = useCallback(
    (to: string, options?: { replace?: boolean }) => {
      const url = withBase(to, base);
      if (options?.replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
      setLocation(readLocation(base));
      window.scrollTo?.(0, 0);
    },
    [base],
  );

  const value = useMemo(() => ({ location, base, navigate }), [location, base, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const ctx = useContext(RouterContext);
  if (!ctx) throw new Error('useRouter outside <Router>');
  return ctx;
}

/** Matches "/queries/:uid" against "/queries/abc" -> { uid: "abc" }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

export function Link({ to, onClick, children, ...rest }: LinkProps) {
  const { base, navigate } = useRouter();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={withBase(to, base)} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
