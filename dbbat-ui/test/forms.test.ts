import { describe, expect, it } from 'vitest';
import { dbFormFrom, dbRequestBody, emptyDbForm, switchProtocol, validateDbForm } from '../src/lib/dbform';
import { grantRequestBody, type GrantFormState } from '../src/lib/grantform';
import { expiringSoon, grantStatus } from '../src/lib/dashboard';
import { cellText, rowCells, rowColumns } from '../src/lib/rows';
import type { Database, Grant } from '../src/api/types';

describe('database form', () => {
  const filled = () => ({ ...emptyDbForm(), name: 'orders', host: 'db1', database_name: 'orders', username: 'app', password: 'secret' });

  it('moves the default port with the protocol, but keeps a custom one', () => {
    let s = emptyDbForm();
    expect(s.port).toBe('5432');
    s = switchProtocol(s, 'mysql');
    expect(s.port).toBe('3306');
    s = switchProtocol(s, 'oracle');
    expect(s.port).toBe('1521');
    s = switchProtocol({ ...s, port: '15210' }, 'postgresql');
    expect(s.port).toBe('15210');
  });

  it('validates what each protocol needs', () => {
    expect(validateDbForm(filled(), true)).toBeNull();
    expect(validateDbForm({ ...filled(), name: '' }, true)).toMatch(/name/);
    expect(validateDbForm({ ...filled(), port: '70000' }, true)).toMatch(/port/);
    expect(validateDbForm({ ...filled(), database_name: '' }, true)).toMatch(/database name/);
    expect(validateDbForm({ ...filled(), protocol: 'oracle', database_name: '', oracle_service_name: '' }, true)).toMatch(/service name/);
    expect(validateDbForm({ ...filled(), protocol: 'oracle', database_name: '', oracle_service_name: 'FREEPDB1' }, true)).toBeNull();
    expect(validateDbForm({ ...filled(), password: '' }, true)).toMatch(/password/);
    expect(validateDbForm({ ...filled(), password: '' }, false)).toBeNull();
    expect(validateDbForm({ ...filled(), readonly_username: 'ro' }, true)).toMatch(/read-only credential needs a password/);
  });

  it('sends every field on create, the service name only for Oracle, ssl_mode only for the others', () => {
    expect(dbRequestBody(filled())).toEqual({
      name: 'orders', protocol: 'postgresql', host: 'db1', port: 5432, database_name: 'orders', username: 'app', password: 'secret', ssl_mode: 'prefer',
    });
    const ora = dbRequestBody({ ...switchProtocol(filled(), 'oracle'), database_name: '', oracle_service_name: 'FREEPDB1' });
    expect(ora).toMatchObject({ protocol: 'oracle', port: 1521, oracle_service_name: 'FREEPDB1' });
    expect(ora).not.toHaveProperty('ssl_mode');
    expect(ora).not.toHaveProperty('database_name');
  });

  it('sends only changed fields on edit, and passwords only when typed', () => {
    const original: Database = { uid: 'd1', name: 'orders', host: 'db1', port: 5432, database_name: 'orders', username: 'app', ssl_mode: 'prefer', protocol: 'postgresql', has_readonly_credential: false };
    const s = dbFormFrom(original);
    expect(dbRequestBody(s, original)).toEqual({});
    expect(dbRequestBody({ ...s, host: 'db2' }, original)).toEqual({ host: 'db2' });
    expect(dbRequestBody({ ...s, password: 'new' }, original)).toEqual({ password: 'new' });
    expect(dbRequestBody({ ...s, readonly_username: 'ro', readonly_password: 'ro-pw' }, original)).toEqual({ readonly_username: 'ro', readonly_password: 'ro-pw' });
  });

  it('can remove a stored read-only credential', () => {
    const original: Database = { uid: 'd1', name: 'x', host: 'h', port: 5432, database_name: 'x', username: 'u', protocol: 'postgresql', ssl_mode: 'prefer', has_readonly_credential: true };
    expect(dbRequestBody({ ...dbFormFrom(original), remove_readonly: true }, original)).toEqual({ readonly_username: '' });
  });
});

describe('grant form', () => {
  const base: GrantFormState = {
    user_id: 'u1', database_id: 'd1', starts_at: '2026-11-25T09:00', expires_at: '2026-11-25T17:00', controls: ['read_only'], max_queries: '', max_bytes: '', bytes_unit: 'MiB',
  };

  it('builds the POST /grants body with RFC 3339 times', () => {
    const body = grantRequestBody(base);
    expect(body).toEqual({
      user_id: 'u1', database_id: 'd1', controls: ['read_only'],
      starts_at: new Date('2026-11-25T09:00').toISOString(), expires_at: new Date('2026-11-25T17:00').toISOString(),
    });
  });

  it('converts quotas, with the byte unit', () => {
    expect(grantRequestBody({ ...base, max_queries: '100', max_bytes: '1.5', bytes_unit: 'GiB' })).toMatchObject({ max_query_counts: 100, max_bytes_transferred: 1610612736 });
  });

  it('refuses an empty or inverted window and bad quotas', () => {
    expect(grantRequestBody({ ...base, user_id: '' })).toMatch(/user/);
    expect(grantRequestBody({ ...base, expires_at: '2026-11-25T08:00' })).toMatch(/end after it starts/);
    expect(grantRequestBody({ ...base, max_queries: '0' })).toMatch(/query quota/);
    expect(grantRequestBody({ ...base, max_queries: '2.5' })).toMatch(/query quota/);
    expect(grantRequestBody({ ...base, max_bytes: '-1' })).toMatch(/data quota/);
  });
});

describe('grant status and expiry', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const g = (over: Partial<Grant>): Grant => ({ uid: 'g', user_id: 'u', database_id: 'd', controls: [], starts_at: '2026-11-01T00:00:00Z', expires_at: '2026-12-31T00:00:00Z', ...over });

  it('tells active, scheduled, expired and revoked apart', () => {
    expect(grantStatus(g({}), now)).toBe('active');
    expect(grantStatus(g({ starts_at: '2026-11-26T00:00:00Z' }), now)).toBe('scheduled');
    expect(grantStatus(g({ expires_at: '2026-11-25T11:00:00Z' }), now)).toBe('expired');
    expect(grantStatus(g({ revoked_at: '2026-11-20T00:00:00Z' }), now)).toBe('revoked');
  });

  it('lists active grants ending within 7 days, soonest first', () => {
    const list = [
      g({ uid: 'late', expires_at: '2026-12-31T00:00:00Z' }),
      g({ uid: 'soon2', expires_at: '2026-11-30T00:00:00Z' }),
      g({ uid: 'soon1', expires_at: '2026-11-25T18:00:00Z' }),
      g({ uid: 'revoked', expires_at: '2026-11-26T00:00:00Z', revoked_at: '2026-11-24T00:00:00Z' }),
    ];
    expect(expiringSoon(list, now).map((x) => x.uid)).toEqual(['soon1', 'soon2']);
  });
});

describe('captured rows', () => {
  it('uses column names for object rows (PostgreSQL, Oracle)', () => {
    const rows = [
      { row_number: 1, row_data: { id: 1, name: 'a' }, row_size_bytes: 10 },
      { row_number: 2, row_data: { id: 2, name: null, extra: true }, row_size_bytes: 10 },
    ];
    const cols = rowColumns(rows);
    expect(cols).toEqual(['id', 'name', 'extra']);
    expect(rowCells(rows[1], cols).map(cellText)).toEqual(['2', 'NULL', 'true']);
    expect(rowCells(rows[0], cols).map(cellText)).toEqual(['1', 'a', '']);
  });

  it('numbers positions for array rows (MySQL)', () => {
    const rows = [{ row_number: 1, row_data: ['x', 2, { j: 1 }], row_size_bytes: 5 }];
    const cols = rowColumns(rows);
    expect(cols).toEqual(['1', '2', '3']);
    expect(rowCells(rows[0], cols).map(cellText)).toEqual(['x', '2', '{"j":1}']);
  });
});
