#!/usr/bin/env node
// FAKE DBBat API + static UI server, for UI development and for trying the browser tests when the
// real server is not available. It is NOT the DBBat server: an in-memory imitation of the /api/v1
// contract (behaviour.md §4) with seeded data, no proxy, no database. It also shows the static
// serving contract the real server implements (see README "Base path contract").
//
//   node e2e/fake-server.mjs [port]      (PORT env or 0 = a free port; prints "listening on http://…")
//
// With DBBAT_API_UPSTREAM=http://127.0.0.1:4200 it fakes nothing: it serves the built UI under the base path
// and forwards /api/* to that real server (useful while the server does not serve the UI yet).
import { createServer, request as httpRequest } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../target/classes/META-INF/dbbat-ui/', import.meta.url));
const BASE = (process.env.DBB_BASE_URL || '/app').replace(/\/+$/, '') || '/app';
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2' };

// ---------------------------------------------------------------- data
const now = () => new Date();
const iso = (d) => d.toISOString();
const hours = (h) => new Date(Date.now() + h * 3600_000);
let v7counter = 0;
function uuidv7(at = Date.now()) {
  const b = randomBytes(16);
  const ts = BigInt(at);
  for (let i = 0; i < 6; i++) b[i] = Number((ts >> BigInt(8 * (5 - i))) & 0xffn);
  v7counter = (v7counter + 1) & 0xfff;
  b[6] = 0x70 | (v7counter >> 8);
  b[7] = v7counter & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const users = [];
const passwords = new Map(); // uid -> { password, changed }
function addUser(username, password, roles, changed = true) {
  const u = { uid: randomUUID(), username, roles, rate_limit_exempt: false, created_at: iso(now()), updated_at: iso(now()) };
  users.push(u);
  passwords.set(u.uid, { password, changed });
  return u;
}
const admin = addUser('admin', 'admintest', ['admin', 'connector']);
const viewer = addUser('viewer', 'viewer', ['viewer']);
const connector = addUser('connector', 'connector', ['connector']);

const databases = [];
const dbSecrets = new Map();
function addDb(input, by) {
  const d = { uid: randomUUID(), name: input.name, description: input.description ?? '', host: input.host, port: input.port, database_name: input.database_name ?? '',
    username: input.username, ssl_mode: input.ssl_mode ?? 'prefer', protocol: input.protocol ?? 'postgresql', oracle_service_name: input.oracle_service_name, created_by: by,
    has_readonly_credential: !!input.readonly_username, readonly_username: input.readonly_username || undefined };
  databases.push(d);
  dbSecrets.set(d.uid, input.password);
  return d;
}
const target = addDb({ name: 'proxy_target', description: 'Target test database', host: 'localhost', port: 5002, database_name: 'target', username: 'postgres', password: 'postgres', ssl_mode: 'disable' }, admin.uid);

const grants = [];
function addGrant(input, by) {
  const g = { uid: randomUUID(), user_id: input.user_id, database_id: input.database_id, controls: input.controls ?? [], granted_by: by, starts_at: input.starts_at, expires_at: input.expires_at,
    revoked_at: null, revoked_by: null, max_query_counts: input.max_query_counts ?? null, max_bytes_transferred: input.max_bytes_transferred ?? null, query_count: 0, bytes_transferred: 0, created_at: iso(now()) };
  grants.push(g);
  return g;
}
addGrant({ user_id: connector.uid, database_id: target.uid, controls: [], starts_at: iso(hours(-24)), expires_at: iso(hours(24 * 3650)) }, admin.uid);
const vg = addGrant({ user_id: viewer.uid, database_id: target.uid, controls: ['read_only'], starts_at: iso(hours(-24)), expires_at: iso(hours(30)), max_query_counts: 100, max_bytes_transferred: 10 * 1024 * 1024 }, admin.uid);
vg.query_count = 83;
vg.bytes_transferred = 2_500_000;

const keys = []; // { ...ApiKey, secret }
const tokens = new Map(); // token -> { user_id, key_type, expires_at, id, revoked }
const connections = [];
const queries = [];
const rows = new Map(); // query uid -> [{row_number,row_data,row_size_bytes}]
const audit = [];
function logAudit(event_type, performed_by, user_id, details) {
  audit.push({ uid: uuidv7(), event_type, user_id: user_id ?? null, performed_by, details, created_at: iso(now()) });
}

// seeded traffic: one closed and one live connection of "connector"
function seedTraffic() {
  const t0 = Date.now() - 40 * 60_000;
  const closed = { uid: uuidv7(t0), user_id: connector.uid, database_id: target.uid, source_ip: '127.0.0.1', connected_at: iso(new Date(t0)), last_activity_at: iso(new Date(t0 + 60_000)), disconnected_at: iso(new Date(t0 + 90_000)), queries: 2, bytes_transferred: 5400 };
  const live = { uid: uuidv7(Date.now() - 5 * 60_000), user_id: connector.uid, database_id: target.uid, source_ip: '10.0.0.7', connected_at: iso(new Date(Date.now() - 5 * 60_000)), last_activity_at: iso(new Date(Date.now() - 30_000)), disconnected_at: null, queries: 3, bytes_transferred: 128_400 };
  connections.push(closed, live);
  const q = (conn, at, sql, extra = {}) => {
    const x = { uid: uuidv7(at), connection_id: conn.uid, sql_text: sql, executed_at: iso(new Date(at)), duration_ms: 1.7, rows_affected: null, error: null, refused: false, ...extra };
    queries.push(x);
    return x;
  };
  q(closed, t0 + 10_000, 'SELECT version()', { rows_affected: 1 });
  q(closed, t0 + 20_000, 'UPDATE accounts SET plan = $1 WHERE id = $2', { rows_affected: 1, parameters: { values: ['pro', '42'], type_oids: [25, 23] } });
  const big = q(live, Date.now() - 4 * 60_000, 'SELECT id, email, created_at FROM customers ORDER BY id', { rows_affected: 120, duration_ms: 12.4 });
  rows.set(big.uid, Array.from({ length: 120 }, (_, i) => ({ row_number: i + 1, row_data: { id: i + 1, email: `user${i + 1}@example.com`, created_at: '2026-01-0' + ((i % 9) + 1) + 'T10:00:00Z' }, row_size_bytes: 64 })));
  q(live, Date.now() - 3 * 60_000, 'DROP TABLE customers', { refused: true, error: 'statement refused: DDL is blocked by this grant', sql_state: '42501' });
  q(live, Date.now() - 2 * 60_000, 'SELECT * FROM missing_table', { error: 'relation "missing_table" does not exist', sql_state: '42P01', duration_ms: 0.8 });
}
seedTraffic();

// ---------------------------------------------------------------- http helpers
class HttpError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
const fail = (status, code, message) => { throw new HttpError(status, code, message); };
function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  if (chunks.length === 0) return {};
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { fail(400, 'VALIDATION_ERROR', 'invalid request: malformed JSON'); }
}
function authenticate(req) {
  const h = req.headers.authorization || '';
  if (!h.startsWith('Bearer ')) fail(401, 'UNAUTHORIZED', 'authentication required');
  const t = tokens.get(h.slice(7));
  if (!t || t.revoked || (t.expires_at && new Date(t.expires_at) <= now())) fail(401, 'UNAUTHORIZED', 'invalid API key');
  const user = users.find((u) => u.uid === t.user_id);
  if (!user) fail(401, 'UNAUTHORIZED', 'user not found');
  return { user, token: t, has: (r) => user.roles.includes(r) };
}
const requireAdmin = (a) => { if (!a.has('admin')) fail(403, 'FORBIDDEN', 'admin access required'); };
const requireObserver = (a) => { if (!a.has('admin') && !a.has('viewer')) fail(403, 'FORBIDDEN', 'admin or viewer access required'); };
const isObserver = (a) => a.has('admin') || a.has('viewer');
const newToken = (prefix) => prefix + Array.from(randomBytes(32), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

function keyset(list, q) {
  let out = [...list].sort((a, b) => (a.uid < b.uid ? 1 : -1));
  const before = q.get('before');
  if (before) out = out.filter((x) => x.uid < before);
  const limit = Math.min(1000, Math.max(1, Number(q.get('limit')) || 100));
  return out.slice(0, limit);
}
const grantUsage = (g) => g;
const limitedDb = (d) => ({ uid: d.uid, name: d.name, description: d.description });

// ---------------------------------------------------------------- routes
async function api(req, res, path, q) {
  const m = req.method;
  const seg = path.split('/').filter(Boolean);
  if (m === 'GET' && path === '/health') return send(res, 200, { status: 'healthy' });
  if (m === 'GET' && path === '/version') return send(res, 200, { api_version: 'v1', build_version: 'fake', build_commit: 'fake', build_time: 'fake', run_mode: 'test' });
  if (m === 'GET' && path === '/auth/providers') return send(res, 200, { providers: [{ type: 'password', enabled: true }] });
  if (m === 'POST' && path === '/auth/login') {
    const b = await readBody(req);
    if (!b.username || !b.password) fail(400, 'VALIDATION_ERROR', 'invalid request: username and password required');
    const u = users.find((x) => x.username === b.username);
    const pw = u && passwords.get(u.uid);
    if (!u || pw.password !== b.password) fail(401, 'INVALID_CREDENTIALS', 'invalid credentials');
    if (!pw.changed) fail(403, 'PASSWORD_CHANGE_REQUIRED', 'You must change your password before logging in');
    const token = newToken('web_');
    const expires_at = iso(hours(1));
    tokens.set(token, { user_id: u.uid, key_type: 'web', expires_at, id: randomUUID(), created_at: iso(now()) });
    return send(res, 200, { token, expires_at, user: { uid: u.uid, username: u.username, roles: u.roles, password_change_required: false } });
  }
  if (m === 'PUT' && path === '/auth/password') {
    const b = await readBody(req);
    if (!b.username || !b.current_password || !b.new_password) fail(400, 'VALIDATION_ERROR', 'invalid request: username, current_password and new_password required');
    const u = users.find((x) => x.username === b.username);
    const pw = u && passwords.get(u.uid);
    if (!u || pw.password !== b.current_password) fail(401, 'INVALID_CREDENTIALS', 'Invalid username or current password');
    if (Buffer.byteLength(b.new_password) < 8) fail(400, 'WEAK_PASSWORD', 'Password must be at least 8 characters');
    passwords.set(u.uid, { password: b.new_password, changed: true });
    return send(res, 200, { message: 'Password changed successfully' });
  }

  const a = authenticate(req);
  if (m === 'POST' && path === '/auth/logout') { a.token.revoked = true; return send(res, 204); }
  if (m === 'GET' && path === '/auth/me') return send(res, 200, { uid: a.user.uid, username: a.user.username, roles: a.user.roles, password_change_required: false, session: { expires_at: a.token.expires_at ?? '', created_at: a.token.created_at ?? '' } });

  // users
  if (seg[0] === 'users') {
    if (m === 'GET' && seg.length === 1) return send(res, 200, { users: (isObserver(a) ? users : [a.user]).slice().sort((x, y) => x.username.localeCompare(y.username)) });
    if (m === 'POST' && seg.length === 1) {
      requireAdmin(a);
      const b = await readBody(req);
      if (!b.username || !b.password) fail(400, 'VALIDATION_ERROR', 'invalid request: username and password required');
      if (users.some((x) => x.username === b.username)) fail(409, 'DUPLICATE_NAME', `a user named ${b.username} already exists`);
      const u = addUser(b.username, b.password, b.roles?.length ? b.roles : ['connector'], false);
      logAudit('user.created', a.user.uid, u.uid, { username: u.username, roles: u.roles });
      return send(res, 200, u);
    }
    const u = users.find((x) => x.uid === seg[1]);
    if (!u) fail(404, 'NOT_FOUND', 'user not found');
    if (m === 'PUT' && seg.length === 2) {
      const b = await readBody(req);
      if (!a.has('admin') && u.uid !== a.user.uid) fail(403, 'FORBIDDEN', 'can only update your own user');
      if (b.roles) { requireAdmin(a); u.roles = b.roles; }
      if (b.password) passwords.set(u.uid, { password: b.password, changed: true });
      logAudit('user.updated', a.user.uid, u.uid, { updated_fields: { roles: b.roles, password: b.password ? '<changed>' : undefined } });
      return send(res, 200, { message: 'user updated' });
    }
    if (m === 'DELETE' && seg.length === 2) {
      requireAdmin(a);
      if (u.uid === a.user.uid) fail(400, 'VALIDATION_ERROR', 'cannot delete your own user');
      users.splice(users.indexOf(u), 1);
      logAudit('user.deleted', a.user.uid, u.uid, { user_uid: u.uid });
      return send(res, 200, { message: 'user deleted' });
    }
    if (m === 'POST' && seg[2] === 'reset-password') {
      requireAdmin(a);
      if (u.uid === a.user.uid) fail(403, 'FORBIDDEN', 'cannot reset your own password; use the password change endpoint instead');
      const b = await readBody(req);
      if (!b.new_password || Buffer.byteLength(b.new_password) < 8) fail(400, 'WEAK_PASSWORD', 'Password must be at least 8 characters');
      passwords.set(u.uid, { password: b.new_password, changed: true });
      return send(res, 200, { message: 'Password reset successfully' });
    }
  }

  // databases
  if (seg[0] === 'databases') {
    if (m === 'GET' && seg.length === 1) {
      const sorted = databases.slice().sort((x, y) => x.name.localeCompare(y.name));
      if (a.has('admin')) return send(res, 200, { databases: sorted });
      if (a.has('viewer')) return send(res, 200, { databases: sorted.map(limitedDb) });
      const mine = new Set(grants.filter((g) => g.user_id === a.user.uid && !g.revoked_at && new Date(g.starts_at) <= now() && new Date(g.expires_at) > now()).map((g) => g.database_id));
      return send(res, 200, { databases: sorted.filter((d) => mine.has(d.uid)).map(limitedDb) });
    }
    requireAdmin(a);
    if (m === 'POST' && seg.length === 1) {
      const b = await readBody(req);
      for (const f of ['name', 'host', 'username', 'password']) if (!b[f]) fail(400, 'VALIDATION_ERROR', `invalid request: ${f} is required`);
      if (!b.port) fail(400, 'VALIDATION_ERROR', 'port is required (suggested default for postgresql: 5432)');
      if (databases.some((d) => d.name === b.name)) fail(409, 'DUPLICATE_NAME', `a database named ${b.name} already exists`);
      const d = addDb(b, a.user.uid);
      logAudit('database.created', a.user.uid, null, { name: d.name, host: d.host, port: d.port });
      return send(res, 200, d);
    }
    const d = databases.find((x) => x.uid === seg[1]);
    if (!d) fail(404, 'NOT_FOUND', 'database not found');
    if (m === 'PUT') {
      const b = await readBody(req);
      for (const f of ['description', 'host', 'port', 'database_name', 'username', 'ssl_mode', 'protocol', 'oracle_service_name']) if (b[f] !== undefined) d[f] = b[f];
      if (b.readonly_username !== undefined) { d.readonly_username = b.readonly_username || undefined; d.has_readonly_credential = !!b.readonly_username; }
      logAudit('database.updated', a.user.uid, null, { database_uid: d.uid, updated_fields: Object.keys(b) });
      return send(res, 200, { message: 'database updated' });
    }
    if (m === 'DELETE') {
      databases.splice(databases.indexOf(d), 1);
      logAudit('database.deleted', a.user.uid, null, { database_uid: d.uid });
      return send(res, 200, { message: 'database deleted' });
    }
  }

  // grants
  if (seg[0] === 'grants') {
    if (m === 'GET' && seg.length === 1) {
      let list = grants.slice();
      const uid = isObserver(a) ? q.get('user_id') : a.user.uid;
      if (uid) list = list.filter((g) => g.user_id === uid);
      if (q.get('database_id')) list = list.filter((g) => g.database_id === q.get('database_id'));
      if (q.get('active_only') === 'true') list = list.filter((g) => !g.revoked_at && new Date(g.starts_at) <= now() && new Date(g.expires_at) > now());
      return send(res, 200, { grants: list.sort((x, y) => (x.created_at < y.created_at ? 1 : -1)).map(grantUsage) });
    }
    requireAdmin(a);
    if (m === 'POST') {
      const b = await readBody(req);
      if (!b.user_id || !b.database_id || !b.starts_at || !b.expires_at) fail(400, 'VALIDATION_ERROR', 'invalid request: user_id, database_id, starts_at and expires_at required');
      if (new Date(b.starts_at) >= new Date(b.expires_at)) fail(400, 'VALIDATION_ERROR', 'starts_at must be before expires_at');
      const g = addGrant(b, a.user.uid);
      logAudit('grant.created', a.user.uid, g.user_id, { grant_uid: g.uid, user_id: g.user_id, database_id: g.database_id, controls: g.controls, starts_at: g.starts_at, expires_at: g.expires_at });
      return send(res, 200, g);
    }
    const g = grants.find((x) => x.uid === seg[1]);
    if (!g) fail(404, 'NOT_FOUND', 'grant not found');
    if (m === 'DELETE') {
      if (g.revoked_at) fail(409, 'CONFLICT', 'grant already revoked');
      g.revoked_at = iso(now());
      g.revoked_by = a.user.uid;
      logAudit('grant.revoked', a.user.uid, g.user_id, { grant_uid: g.uid });
      return send(res, 200, { message: 'grant revoked' });
    }
  }

  // keys
  if (seg[0] === 'keys') {
    const strip = ({ secret, ...k }) => k;
    if (m === 'GET' && seg.length === 1) {
      let list = keys.filter((k) => a.has('admin') || k.user_id === a.user.uid);
      if (q.get('include_all') !== 'true') list = list.filter((k) => !k.revoked_at && (!k.expires_at || new Date(k.expires_at) > now()));
      return send(res, 200, { keys: list.sort((x, y) => (x.created_at < y.created_at ? 1 : -1)).map(strip) });
    }
    if (a.token.key_type !== 'web') fail(403, 'FORBIDDEN', 'API keys cannot perform this operation');
    if (m === 'POST') {
      const b = await readBody(req);
      if (!b.name) fail(400, 'VALIDATION_ERROR', 'invalid request: name required');
      const secret = newToken('dbb_');
      const k = { id: randomUUID(), user_id: a.user.uid, name: b.name, key_prefix: secret.slice(0, 8), key_type: 'api', expires_at: b.expires_at ?? null, last_used_at: null, request_count: 0, created_at: iso(now()), revoked_at: null, revoked_by: null, secret };
      keys.push(k);
      tokens.set(secret, { user_id: a.user.uid, key_type: 'api', expires_at: k.expires_at, id: k.id });
      logAudit('api_key.created', a.user.uid, a.user.uid, { key_name: k.name, key_prefix: k.key_prefix, user_id: a.user.uid, expires_at: k.expires_at });
      return send(res, 201, { id: k.id, name: k.name, key: secret, key_prefix: k.key_prefix, expires_at: k.expires_at, created_at: k.created_at });
    }
    const k = keys.find((x) => x.id === seg[1]);
    if (!k) fail(404, 'NOT_FOUND', 'API key not found');
    if (m === 'DELETE') {
      if (!a.has('admin') && k.user_id !== a.user.uid) fail(403, 'FORBIDDEN', 'access denied');
      k.revoked_at = iso(now());
      k.revoked_by = a.user.uid;
      tokens.get(k.secret).revoked = true;
      logAudit('api_key.revoked', a.user.uid, k.user_id, { key_name: k.name, key_prefix: k.key_prefix, revoked_by: a.user.uid });
      return send(res, 204);
    }
  }

  // observability
  if (seg[0] === 'connections') {
    let list = connections.slice();
    const uid = isObserver(a) ? q.get('user_id') : a.user.uid;
    if (uid) list = list.filter((c) => c.user_id === uid);
    if (q.get('database_id')) list = list.filter((c) => c.database_id === q.get('database_id'));
    if (q.get('open_only') === 'true') list = list.filter((c) => !c.disconnected_at);
    if (m === 'GET' && seg.length === 1) return send(res, 200, { connections: keyset(list, q) });
    if (m === 'GET' && seg.length === 2) {
      const c = list.find((x) => x.uid === seg[1]);
      if (!c) fail(404, 'NOT_FOUND', 'connection not found');
      return send(res, 200, c);
    }
  }
  if (seg[0] === 'queries') {
    requireObserver(a);
    if (m === 'GET' && seg.length === 1) {
      let list = queries.slice();
      const conns = (pred) => new Set(connections.filter(pred).map((c) => c.uid));
      if (q.get('connection_id')) list = list.filter((x) => x.connection_id === q.get('connection_id'));
      if (q.get('user_id')) { const s = conns((c) => c.user_id === q.get('user_id')); list = list.filter((x) => s.has(x.connection_id)); }
      if (q.get('database_id')) { const s = conns((c) => c.database_id === q.get('database_id')); list = list.filter((x) => s.has(x.connection_id)); }
      if (q.get('start_time')) list = list.filter((x) => new Date(x.executed_at) >= new Date(q.get('start_time')));
      if (q.get('end_time')) list = list.filter((x) => new Date(x.executed_at) <= new Date(q.get('end_time')));
      return send(res, 200, { queries: keyset(list, q) });
    }
    const x = queries.find((y) => y.uid === seg[1]);
    if (!x) fail(404, 'NOT_FOUND', 'query not found');
    if (m === 'GET' && seg.length === 2) return send(res, 200, x);
    if (m === 'GET' && seg[2] === 'rows') {
      const all = rows.get(x.uid) ?? [];
      const limit = q.get('limit') ? Number(q.get('limit')) : 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) fail(400, 'VALIDATION_ERROR', 'invalid limit');
      let offset = 0;
      if (q.get('cursor')) {
        try { offset = JSON.parse(Buffer.from(q.get('cursor'), 'base64').toString()).offset; } catch { fail(400, 'VALIDATION_ERROR', 'invalid cursor'); }
      }
      const page = all.slice(offset, offset + limit);
      const more = offset + limit < all.length;
      return send(res, 200, { rows: page, next_cursor: more ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64') : undefined, has_more: more, total_rows: all.length });
    }
  }
  if (m === 'GET' && seg[0] === 'audit') {
    requireObserver(a);
    let list = audit.slice();
    for (const f of ['event_type', 'user_id', 'performed_by']) if (q.get(f)) list = list.filter((x) => x[f] === q.get(f));
    return send(res, 200, { audit_events: keyset(list, q) });
  }
  fail(404, 'NOT_FOUND', 'route not found');
}

// ---------------------------------------------------------------- static UI (the contract)
async function serveUi(req, res, path) {
  // read every time: a rebuild while this runs changes the hashed asset names
  const indexHtml = (await readFile(join(DIST, 'index.html'), 'utf8')).replace(/<base href="[^"]*"/, `<base href="${BASE}/"`);
  const rel = path.slice(BASE.length).replace(/^\/+/, '');
  if (rel && rel !== 'index.html') {
    const file = normalize(join(DIST, rel));
    if (file.startsWith(DIST)) {
      try {
        const s = await stat(file);
        if (s.isFile()) {
          const immutable = rel.startsWith('assets/');
          res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' });
          return res.end(await readFile(file));
        }
      } catch { /* fall through */ }
    }
    if (rel.startsWith('assets/')) { res.writeHead(404, { 'Content-Type': 'text/plain' }); return res.end('not found'); }
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(indexHtml);
}

const UPSTREAM = process.env.DBBAT_API_UPSTREAM ? new URL(process.env.DBBAT_API_UPSTREAM) : null;

function forward(req, res) {
  const up = httpRequest(
    { host: UPSTREAM.hostname, port: UPSTREAM.port, method: req.method, path: req.url, headers: { ...req.headers, host: UPSTREAM.host } },
    (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', () => send(res, 502, { error: { code: 'INTERNAL_ERROR', message: 'upstream unreachable' } }));
  req.pipe(up);
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  try {
    if (UPSTREAM && path.startsWith('/api/')) return forward(req, res);
    if (path.startsWith('/api/v1/') || path === '/api/v1') return await api(req, res, path.slice('/api/v1'.length) || '/', url.searchParams);
    if (path === '/' ) { res.writeHead(302, { Location: `${BASE}/` }); return res.end(); }
    if (path === BASE || path.startsWith(BASE + '/')) return await serveUi(req, res, path);
    send(res, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
  } catch (e) {
    if (e instanceof HttpError) return send(res, e.status, { error: { code: e.code, message: e.message } });
    console.error(e);
    send(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'An internal error occurred. Please try again.' } });
  }
});
server.listen(Number(process.argv[2] ?? process.env.PORT ?? 0), '127.0.0.1', () => {
  const what = UPSTREAM ? `UI + /api proxy to ${UPSTREAM.origin}` : 'FAKE dbbat';
  console.log(`${what} listening on http://127.0.0.1:${server.address().port}${BASE}/`);
});
