import { useState, type ReactNode } from 'react';
import { errorText } from '../api/errors';
import { formatDateTime, relativeTime } from '../lib/format';
import { usage } from '../lib/usage';
import { useNow } from '../hooks';

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="banner error" role="alert">
      {typeof error === 'string' ? error : errorText(error)}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return <p className="muted" role="status">{what}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** Relative time with the absolute time as tooltip; refreshes itself. */
export function RelTime({ value }: { value: string | null | undefined }) {
  const now = useNow();
  if (!value) return <span className="muted">—</span>;
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {relativeTime(value, now)}
    </time>
  );
}

export function Badge({ kind = 'neutral', children }: { kind?: 'neutral' | 'ok' | 'warn' | 'bad' | 'live' | 'info'; children: ReactNode }) {
  return <span className={`badge ${kind}`}>{children}</span>;
}

/** Quota usage bar: "12 / 100 queries". */
export function UsageBar({ label, used, max, format = (n: number) => String(n) }: { label: string; used: number | null | undefined; max: number | null | undefined; format?: (n: number) => string }) {
  const u = usage(used, max);
  const text = u.max === null ? `${format(u.used)} (no limit)` : `${format(u.used)} / ${format(u.max)}`;
  return (
    <div className={`usage ${u.level}`}>
      <div className="usage-label">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      {u.max !== null && (
        <div className="usage-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={u.percent} aria-valuetext={text}>
          <div className="usage-fill" style={{ width: `${u.percent}%` }} />
        </div>
      )}
    </div>
  );
}

export function Pager({ page, hasNewer, hasOlder, onNewer, onOlder }: { page: number; hasNewer: boolean; hasOlder: boolean; onNewer: () => void; onOlder: () => void }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={onNewer} disabled={!hasNewer}>
        ← Newer
      </button>
      <span className="muted">Page {page}</span>
      <button type="button" onClick={onOlder} disabled={!hasOlder}>
        Older →
      </button>
    </nav>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(text);
      } else {
        const ta = document.createElement('textarea');
        ta.value = text;
        document.body.appendChild(ta);
        ta.select();
        const ok = document.execCommand('copy');
        ta.remove();
        if (!ok) throw new Error('copy failed');
      }
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <button type="button" onClick={copy} aria-live="polite">
      {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed: select the text' : label}
    </button>
  );
}

/** Labelled form field. */
export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}
