// Shapes of the /api/v1 resources (behaviour.md §1, §4). Optional fields may be omitted by the server.

export type Role = 'admin' | 'viewer' | 'connector';
export type Protocol = 'postgresql' | 'mysql' | 'mariadb' | 'oracle';
export type Control = 'read_only' | 'block_copy' | 'block_ddl';

export interface SessionUser {
  uid: string;
  username: string;
  roles: Role[];
  password_change_required?: boolean;
  session?: { expires_at?: string; created_at?: string };
}

export interface LoginResponse {
  token: string;
  expires_at: string;
  user: SessionUser;
}

export interface User {
  uid: string;
  username: string;
  roles: Role[];
  rate_limit_exempt?: boolean;
  /** the initial password has not been changed yet */
  password_change_required?: boolean;
  created_at?: string;
  updated_at?: string;
}

export interface Database {
  uid: string;
  name: string;
  description?: string;
  host?: string;
  port?: number;
  database_name?: string;
  username?: string;
  ssl_mode?: string;
  protocol?: Protocol;
  oracle_service_name?: string;
  created_by?: string;
  has_readonly_credential?: boolean;
  readonly_username?: string;
}

export interface DatabaseInput {
  name?: string;
  description?: string;
  host?: string;
  port?: number;
  database_name?: string;
  username?: string;
  password?: string;
  ssl_mode?: string;
  protocol?: Protocol;
  oracle_service_name?: string;
  readonly_username?: string;
  readonly_password?: string;
}

export interface Grant {
  uid: string;
  user_id: string;
  database_id: string;
  controls: Control[] | null;
  granted_by?: string;
  starts_at: string;
  expires_at: string;
  revoked_at?: string | null;
  revoked_by?: string | null;
  max_query_counts?: number | null;
  max_bytes_transferred?: number | null;
  query_count?: number;
  bytes_transferred?: number;
  created_at?: string;
}

export interface GrantInput {
  user_id: string;
  database_id: string;
  starts_at: string;
  expires_at: string;
  controls?: Control[];
  max_query_counts?: number;
  max_bytes_transferred?: number;
}

export interface ApiKey {
  id: string;
  user_id: string;
  name: string;
  key_prefix: string;
  key_type?: string;
  expires_at?: string | null;
  last_used_at?: string | null;
  request_count?: number;
  created_at: string;
  revoked_at?: string | null;
  revoked_by?: string | null;
}

export interface CreatedApiKey {
  id: string;
  name: string;
  key: string;
  key_prefix: string;
  expires_at?: string | null;
  created_at: string;
}

export interface Connection {
  uid: string;
  user_id: string;
  database_id: string;
  grant_id?: string | null;
  protocol?: Protocol;
  source_ip: string;
  close_reason?: string | null;
  connected_at: string;
  last_activity_at?: string;
  disconnected_at?: string | null;
  queries: number;
  bytes_transferred: number;
}

export interface QueryParameters {
  values?: (string | null)[];
  raw?: string[];
  format_codes?: number[];
  type_oids?: number[];
}

export interface Query {
  uid: string;
  connection_id: string;
  sql_text: string;
  parameters?: QueryParameters | null;
  executed_at: string;
  duration_ms?: number | null;
  rows_affected?: number | null;
  error?: string | null;
  sql_state?: string | null;
  refused?: boolean;
  bytes_transferred?: number;
  copy_format?: string | null;
  copy_direction?: string | null;
  results_truncated?: boolean;
}

export interface QueryRow {
  row_number: number;
  row_data: unknown;
  row_size_bytes: number;
}

export interface QueryRowsPage {
  rows: QueryRow[];
  next_cursor?: string | null;
  has_more: boolean;
  total_rows: number;
}

export interface AuditEvent {
  uid: string;
  event_type: string;
  user_id?: string | null;
  performed_by?: string | null;
  details?: unknown;
  created_at: string;
}

export interface VersionInfo {
  api_version?: string;
  build_version?: string;
  build_commit?: string;
  build_time?: string;
  run_mode?: string;
}
