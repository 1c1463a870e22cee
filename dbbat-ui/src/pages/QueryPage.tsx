import { useState } from 'react';
import type { QueryRow } from '../api/types';
import { useAuth } from '../auth';
import { QueryOutcome } from '../components/QueryTable';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, RelTime } from '../components/ui';
import { useAsync, useDocumentTitle } from '../hooks';
import { formatBytes, formatCount, formatDateTime, formatDuration, shortId } from '../lib/format';
import { nextCursor, prevCursor, type CursorState } from '../lib/paging';
import { rowColumns, rowCells, cellText } from '../lib/rows';
import { Link } from '../router';

const ROWS_PER_PAGE = 50;

function RowsTable({ rows }: { rows: QueryRow[] }) {
  const columns = rowColumns(rows);
  return (
    <div className="table-wrap">
      <table className="rows">
        <thead>
          <tr>
            <th scope="col">#</th>
            {columns.map((c) => <th scope="col" key={c}>{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row_number}>
              <td className="muted">{r.row_number}</td>
              {rowCells(r, columns).map((v, i) => (
                <td key={i} className={v === null ? 'null' : undefined}>{cellText(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QueryPage({ uid }: { uid: string }) {
  useDocumentTitle(`Query ${shortId(uid)}`);
  const { api } = useAuth();
  const query = useAsync(() => api.getQuery(uid), [uid]);
  const [cursor, setCursor] = useState<CursorState>({ cursor: undefined, history: [] });
  const rows = useAsync(() => api.getQueryRows(uid, { cursor: cursor.cursor, limit: ROWS_PER_PAGE }), [uid, cursor.cursor]);
  const q = query.data;
  const page = rows.data;
  const firstRow = page?.rows[0]?.row_number;
  const lastRow = page?.rows[page.rows.length - 1]?.row_number;
  const params = q?.parameters?.values ?? [];

  return (
    <section>
      <p className="crumbs">
        <Link to="/queries">← Queries</Link>
        {q && <> · <Link to={`/connections/${q.connection_id}`}>its connection</Link></>}
      </p>
      <PageHeader title={`Query ${shortId(uid)}`} />
      <ErrorBanner error={query.error} />
      {query.loading && !q && <Loading />}
      {q && (
        <>
          <pre className="sql" aria-label="SQL text"><code>{q.sql_text}</code></pre>
          <dl className="facts">
            <div><dt>Outcome</dt><dd><QueryOutcome q={q} /></dd></div>
            <div><dt>Executed</dt><dd>{formatDateTime(q.executed_at)} (<RelTime value={q.executed_at} />)</dd></div>
            <div><dt>Duration</dt><dd>{formatDuration(q.duration_ms)}</dd></div>
            <div><dt>Rows affected</dt><dd>{q.rows_affected === null || q.rows_affected === undefined ? '—' : formatCount(q.rows_affected)}</dd></div>
            {q.copy_direction && <div><dt>COPY</dt><dd>{q.copy_direction === 'in' ? 'in (from the client)' : 'out (to the client)'}, {q.copy_format ?? 'text'} format</dd></div>}
            {q.results_truncated && <div><dt>Captured rows</dt><dd><Badge kind="warn">truncated</Badge> <span className="muted">the capture limit was reached</span></dd></div>}
          </dl>
          {(q.error || q.refused) && (
            <div className={q.refused ? 'banner error' : 'banner warn'} role="note">
              <strong>{q.refused ? 'Refused by DBBat' : 'The target returned an error'}</strong>
              {q.sql_state && <> (SQLSTATE <code>{q.sql_state}</code>)</>}
              {q.error && <>: {q.error}</>}
            </div>
          )}
          <h2>Parameters</h2>
          {params.length === 0 ? (
            <Empty>No bound parameters.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="params">
                <thead><tr><th scope="col">$</th><th scope="col">Value</th>{q.parameters?.type_oids && <th scope="col">Type OID</th>}</tr></thead>
                <tbody>
                  {params.map((v, i) => (
                    <tr key={i}>
                      <td>${i + 1}</td>
                      <td className={v === null ? 'null' : undefined}><code>{v === null ? 'NULL' : v}</code></td>
                      {q.parameters?.type_oids && <td>{q.parameters.type_oids[i] ?? '—'}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <h2>Captured result rows</h2>
      <ErrorBanner error={rows.error} />
      {rows.loading && !page && <Loading />}
      {page && page.rows.length === 0 && <Empty>No result rows were captured for this statement.</Empty>}
      {page && page.rows.length > 0 && (
        <>
          <p className="muted" data-testid="rows-range">
            Rows {firstRow}–{lastRow} of {formatCount(page.total_rows)} · {formatBytes(page.rows.reduce((s, r) => s + (r.row_size_bytes ?? 0), 0))} on this page
          </p>
          <RowsTable rows={page.rows} />
          <nav className="pager" aria-label="Row pages">
            <button type="button" disabled={cursor.history.length === 0} onClick={() => setCursor(prevCursor(cursor))}>← Previous rows</button>
            <button type="button" disabled={!page.has_more || !page.next_cursor} onClick={() => setCursor(nextCursor(cursor, page.next_cursor))}>Next rows →</button>
          </nav>
        </>
      )}
    </section>
  );
}
