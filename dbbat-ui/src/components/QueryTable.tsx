import type { Query } from '../api/types';
import { formatCount, formatDuration, shortId } from '../lib/format';
import { Link } from '../router';
import { Badge, RelTime } from './ui';

export function QueryOutcome({ q }: { q: Query }) {
  if (q.refused) return <Badge kind="bad">refused</Badge>;
  if (q.error) return <Badge kind="warn">error{q.sql_state ? ` ${q.sql_state}` : ''}</Badge>;
  return <Badge kind="ok">ok</Badge>;
}

export function QueryTable({ queries, showConnection }: { queries: Query[]; showConnection?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="queries">
        <thead>
          <tr>
            <th scope="col">When</th>
            {showConnection && <th scope="col">Connection</th>}
            <th scope="col">Statement</th>
            <th scope="col">Outcome</th>
            <th scope="col">Rows</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {queries.map((q) => (
            <tr key={q.uid}>
              <td data-label="When"><RelTime value={q.executed_at} /></td>
              {showConnection && <td data-label="Connection"><Link to={`/connections/${q.connection_id}`}><code>{shortId(q.connection_id)}</code></Link></td>}
              <td data-label="Statement" className="sql-cell">
                <Link to={`/queries/${q.uid}`} title={q.sql_text}>
                  <code>{q.sql_text.length > 160 ? q.sql_text.slice(0, 160) + '…' : q.sql_text}</code>
                </Link>
              </td>
              <td data-label="Outcome"><QueryOutcome q={q} /></td>
              <td data-label="Rows">{q.rows_affected === null || q.rows_affected === undefined ? '—' : formatCount(q.rows_affected)}</td>
              <td data-label="Duration">{formatDuration(q.duration_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
