import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAuth } from '../auth';
import { Link, useRouter } from '../router';
import { can, type Action } from '../lib/roles';
import { Logo } from './Logo';
import { OwnPasswordDialog } from './OwnPasswordDialog';
import { Badge } from './ui';

interface NavItem {
  to: string;
  label: string;
  needs?: Action;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/connections', label: 'Connections' },
  { to: '/queries', label: 'Queries', needs: 'observe.queries' },
  { to: '/grants', label: 'Grants' },
  { to: '/databases', label: 'Databases' },
  { to: '/users', label: 'Users' },
  { to: '/keys', label: 'API keys' },
  { to: '/audit', label: 'Audit log', needs: 'observe.audit' },
];

function isActive(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(to + '/');
}

export function Layout({ children }: { children: ReactNode }) {
  const { user, logout, api } = useAuth();
  const [changing, setChanging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [runMode, setRunMode] = useState<string>('');
  useEffect(() => {
    api.version().then((v) => setRunMode(v.run_mode ?? ''), () => setRunMode(''));
  }, [api]);
  const { location } = useRouter();
  const [open, setOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.path);
  useEffect(() => {
    setOpen(false);
    // after a navigation, keyboard and screen-reader users continue at the new page's content
    if (location.path !== firstPath.current) {
      firstPath.current = '';
      mainRef.current?.focus({ preventScroll: true });
    }
  }, [location.path]);
  const roles = user?.roles ?? [];
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="nav" onClick={() => setOpen((o) => !o)}>
          <span aria-hidden="true">☰</span>
          <span className="sr-only">Menu</span>
        </button>
        <Link to="/" className="brand">
          <Logo /> DBBat
        </Link>
        {runMode && <Badge kind="warn">{runMode} mode</Badge>}
        <div className="whoami">
          <span className="user-name" title={roles.join(', ')}>
            {user?.username}
            <span className="roles"> ({roles.join(', ')})</span>
          </span>
          <button type="button" className="hide-narrow" onClick={() => setChanging(true)}>
            Password
          </button>
          <button type="button" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="nav" className={open ? 'sidenav open' : 'sidenav'} aria-label="Main">
        <ul>
          {NAV.filter((n) => !n.needs || can(roles, n.needs)).map((n) => (
            <li key={n.to}>
              <Link to={n.to} aria-current={isActive(location.path, n.to) ? 'page' : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
          <li className="show-narrow">
            <button type="button" className="nav-button" onClick={() => setChanging(true)}>
              Change my password
            </button>
          </li>
        </ul>
      </nav>
      <main id="main" tabIndex={-1} ref={mainRef}>
        {notice && <p className="banner ok" role="status">{notice}</p>}
        {children}
      </main>
      {changing && (
        <OwnPasswordDialog
          onClose={() => setChanging(false)}
          onDone={() => {
            setChanging(false);
            setNotice('Your password was changed.');
          }}
        />
      )}
    </div>
  );
}
