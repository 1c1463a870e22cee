// Database form logic: protocol-aware defaults and the body sent to the API.
import type { Database, DatabaseInput, Protocol } from '../api/types';

export const PROTOCOLS: { value: Protocol; label: string; port: number }[] = [
  { value: 'postgresql', label: 'PostgreSQL', port: 5432 },
  { value: 'mysql', label: 'MySQL', port: 3306 },
  { value: 'mariadb', label: 'MariaDB', port: 3306 },
  { value: 'oracle', label: 'Oracle', port: 1521 },
];

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export function defaultPort(protocol: Protocol): number {
  return PROTOCOLS.find((p) => p.value === protocol)?.port ?? 5432;
}

export interface DbFormState {
  name: string;
  description: string;
  protocol: Protocol;
  host: string;
  port: string;
  database_name: string;
  oracle_service_name: string;
  ssl_mode: string;
  username: string;
  password: string;
  readonly_username: string;
  readonly_password: string;
  remove_readonly: boolean;
}

export function emptyDbForm(): DbFormState {
  return {
    name: '', description: '', protocol: 'postgresql', host: '', port: '5432', database_name: '', oracle_service_name: '',
    ssl_mode: 'prefer', username: '', password: '', readonly_username: '', readonly_password: '', remove_readonly: false,
  };
}

export function dbFormFrom(db: Database): DbFormState {
  const protocol = db.protocol ?? 'postgresql';
  return {
    name: db.name, description: db.description ?? '', protocol, host: db.host ?? '', port: db.port ? String(db.port) : String(defaultPort(protocol)),
    database_name: db.database_name ?? '', oracle_service_name: db.oracle_service_name ?? '', ssl_mode: db.ssl_mode ?? (protocol === 'oracle' ? '' : 'prefer'),
    username: db.username ?? '', password: '', readonly_username: db.readonly_username ?? '', readonly_password: '', remove_readonly: false,
  };
}

/** When the protocol changes, move the port along if it still holds the previous default. */
export function switchProtocol(state: DbFormState, protocol: Protocol): DbFormState {
  const port = state.port === '' || state.port === String(defaultPort(state.protocol)) ? String(defaultPort(protocol)) : state.port;
  return { ...state, protocol, port };
}

/** Returns a sentence describing the first problem, or null. */
export function validateDbForm(s: DbFormState, creating: boolean): string | null {
  if (creating && !s.name.trim()) return 'Give the database a name: clients put it in their connection string.';
  if (!s.host.trim()) return 'The host is required.';
  const port = Number(s.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'The port must be a number between 1 and 65535.';
  if (s.protocol === 'oracle') {
    if (!s.oracle_service_name.trim() && !s.database_name.trim()) return 'Oracle needs a service name.';
  } else if (!s.database_name.trim()) {
    return 'The database name on the target is required.';
  }
  if (!s.username.trim()) return 'The target username is required.';
  if (creating && !s.password) return 'The target password is required.';
  if (!s.remove_readonly && (s.readonly_password && !s.readonly_username.trim())) return 'The read-only credential needs a username too.';
  if (creating && s.readonly_username.trim() && !s.readonly_password) return 'The read-only credential needs a password too.';
  return null;
}

/** The request body: on create every field; on edit only what changed. Passwords are sent only when typed. */
export function dbRequestBody(s: DbFormState, original?: Database): DatabaseInput {
  const oracle = s.protocol === 'oracle';
  const full: DatabaseInput = {
    name: s.name.trim(),
    description: s.description.trim(),
    protocol: s.protocol,
    host: s.host.trim(),
    port: Number(s.port),
    database_name: s.database_name.trim(),
    username: s.username.trim(),
  };
  if (oracle) {
    if (s.oracle_service_name.trim()) full.oracle_service_name = s.oracle_service_name.trim();
  } else if (s.ssl_mode) {
    full.ssl_mode = s.ssl_mode;
  }
  const body: DatabaseInput = {};
  if (!original) {
    Object.assign(body, full);
    if (!body.description) delete body.description;
    if (oracle && !body.database_name) delete body.database_name;
  } else {
    const before = original as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(full)) {
      if (k === 'name') continue; // the name is fixed after creation
      if ((before[k] ?? '') !== v) (body as Record<string, unknown>)[k] = v;
    }
  }
  if (s.password) body.password = s.password;
  if (s.remove_readonly) {
    body.readonly_username = ''; // an empty read-only username removes the credential
  } else {
    const ru = s.readonly_username.trim();
    if (ru && (!original || ru !== (original.readonly_username ?? '') || s.readonly_password)) body.readonly_username = ru;
    if (s.readonly_password) body.readonly_password = s.readonly_password;
  }
  return body;
}
