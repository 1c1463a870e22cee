// Typed client for /api/v1. Bearer token from localStorage; any 401 on an authenticated call
// clears the token and calls onUnauthorized (the app then shows the login page).
import { ApiError, networkError, parseErrorBody, type ErrorContext } from './errors';
import type {
  ApiKey, AuditEvent, Connection, CreatedApiKey, Database, DatabaseInput, Grant, GrantInput,
  LoginResponse, Query, QueryRowsPage, Role, SessionUser, User, VersionInfo,
} from './types';

export const TOKEN_KEY = 'dbbat_session_token';

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** send the bearer token and treat 401 as session expiry (default true) */
  auth?: boolean;
  context?: ErrorContext;
}

export interface ClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  onUnauthorized?: () => void;
}

export interface ListParams {
  limit?: number;
  before?: string;
  [key: string]: QueryValue;
}

function defaultBaseUrl(): string {
  const w = globalThis as { __DBBAT_API_BASE__?: string };
  return (w.__DBBAT_API_BASE__ ?? '/api/v1').replace(/\/$/, '');
}

export function buildQuery(query?: Record<string, QueryValue>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  onUnauthorized: (() => void) | undefined;

  constructor(options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? defaultBaseUrl();
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.storage = options.storage ?? (typeof localStorage !== 'undefined' ? localStorage : undefined);
    this.onUnauthorized = options.onUnauthorized;
  }

  get token(): string | null {
    return this.storage?.getItem(TOKEN_KEY) ?? null;
  }

  setToken(token: string | null): void {
    if (token) this.storage?.setItem(TOKEN_KEY, token);
    else this.storage?.removeItem(TOKEN_KEY);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = auth ? this.token : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path + buildQuery(options.query), { method, headers, body });
    } catch {
      throw networkError();
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      const err = parseErrorBody(response.status, parsed, response.headers.get('Retry-After'));
      if (response.status === 401 && auth) {
        this.setToken(null);
        this.onUnauthorized?.();
      }
      throw new ApiError(response.status, err.code, err.message, err.retryAfter, options.context);
    }
    return parsed as T;
  }

  // ---- auth
  login(username: string, password: string): Promise<LoginResponse> {
    return this.request<LoginResponse>('POST', '/auth/login', { body: { username, password }, auth: false, context: 'login' });
  }

  /** One-time code from an SSO redirect (?code=) → a web session, the same body as a login. */
  oauthExchange(code: string): Promise<LoginResponse> {
    return this.request<LoginResponse>('POST', '/auth/oauth/exchange', { body: { code }, auth: false, context: 'login' });
  }

  changePassword(username: string, currentPassword: string, newPassword: string): Promise<{ message: string }> {
    return this.request('PUT', '/auth/password', {
      body: { username, current_password: currentPassword, new_password: newPassword },
      auth: false,
      context: 'password-change',
    });
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/auth/logout', { auth: true });
    } catch {
      // the session is dropped locally whatever the server says
    }
    this.setToken(null);
  }

  me(): Promise<SessionUser> {
    return this.request<SessionUser>('GET', '/auth/me');
  }

  version(): Promise<VersionInfo> {
    return this.request<VersionInfo>('GET', '/version', { auth: false });
  }

  providers(): Promise<{ providers: { type: string; enabled: boolean; authorize_url?: string }[] }> {
    return this.request('GET', '/auth/providers', { auth: false });
  }

  // ---- users
  async listUsers(): Promise<User[]> {
    return (await this.request<{ users: User[] }>('GET', '/users')).users ?? [];
  }
  createUser(input: { username: string; password: string; roles: Role[] }): Promise<User> {
    return this.request<User>('POST', '/users', { body: input });
  }
  updateUser(uid: string, input: { roles?: Role[]; password?: string }): Promise<unknown> {
    return this.request('PUT', `/users/${uid}`, { body: input });
  }
  deleteUser(uid: string): Promise<unknown> {
    return this.request('DELETE', `/users/${uid}`);
  }
  resetPassword(uid: string, newPassword: string): Promise<unknown> {
    return this.request('POST', `/users/${uid}/reset-password`, { body: { new_password: newPassword } });
  }

  // ---- databases
  async listDatabases(): Promise<Database[]> {
    return (await this.request<{ databases: Database[] }>('GET', '/databases')).databases ?? [];
  }
  createDatabase(input: DatabaseInput): Promise<Database> {
    return this.request<Database>('POST', '/databases', { body: input });
  }
  updateDatabase(uid: string, input: DatabaseInput): Promise<unknown> {
    return this.request('PUT', `/databases/${uid}`, { body: input });
  }
  deleteDatabase(uid: string): Promise<unknown> {
    return this.request('DELETE', `/databases/${uid}`);
  }

  // ---- grants
  async listGrants(params: { user_id?: string; database_id?: string; active_only?: boolean } = {}): Promise<Grant[]> {
    return (await this.request<{ grants: Grant[] }>('GET', '/grants', { query: params })).grants ?? [];
  }
  createGrant(input: GrantInput): Promise<Grant> {
    return this.request<Grant>('POST', '/grants', { body: input });
  }
  revokeGrant(uid: string): Promise<unknown> {
    return this.request('DELETE', `/grants/${uid}`);
  }

  // ---- API keys
  async listKeys(params: { include_all?: boolean; user_id?: string } = {}): Promise<ApiKey[]> {
    return (await this.request<{ keys: ApiKey[] }>('GET', '/keys', { query: params })).keys ?? [];
  }
  createKey(input: { name: string; expires_at?: string }): Promise<CreatedApiKey> {
    return this.request<CreatedApiKey>('POST', '/keys', { body: input });
  }
  revokeKey(id: string): Promise<unknown> {
    return this.request('DELETE', `/keys/${id}`);
  }

  // ---- observability
  async listConnections(params: ListParams = {}): Promise<Connection[]> {
    return (await this.request<{ connections: Connection[] }>('GET', '/connections', { query: params })).connections ?? [];
  }

  /** One connection (its owner, admins and viewers may read it). */
  getConnection(uid: string): Promise<Connection> {
    return this.request<Connection>('GET', `/connections/${encodeURIComponent(uid)}`);
  }

  async listQueries(params: ListParams = {}): Promise<Query[]> {
    return (await this.request<{ queries: Query[] }>('GET', '/queries', { query: params })).queries ?? [];
  }
  getQuery(uid: string): Promise<Query> {
    return this.request<Query>('GET', `/queries/${uid}`);
  }
  getQueryRows(uid: string, params: { cursor?: string; limit?: number } = {}): Promise<QueryRowsPage> {
    return this.request<QueryRowsPage>('GET', `/queries/${uid}/rows`, { query: params });
  }
  async listAudit(params: ListParams = {}): Promise<AuditEvent[]> {
    return (await this.request<{ audit_events: AuditEvent[] }>('GET', '/audit', { query: params })).audit_events ?? [];
  }
}

export const api = new ApiClient();
