// API errors: parse the error body and turn it into words a person understands.

export type ErrorContext = 'login' | 'password-change' | 'default';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** the server's own message, for details */
  readonly serverMessage: string;
  readonly retryAfter?: number;

  constructor(status: number, code: string, serverMessage: string, retryAfter?: number, context: ErrorContext = 'default') {
    super(humanMessage(status, code, serverMessage, retryAfter, context));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.retryAfter = retryAfter;
  }
}

/** Network failure (server unreachable): status 0, code NETWORK_ERROR. */
export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK_ERROR', '');
}

interface ParsedError {
  code: string;
  message: string;
  retryAfter?: number;
}

/**
 * Reads every error body shape the server may send:
 * `{"error":{"code","message"},"retry_after"?}` (the contract), the seed's flat `{"code","message"}`,
 * and the seed rate limiter's `{"error":"rate_limit_exceeded","message","retry_after"}`.
 */
export function parseErrorBody(status: number, body: unknown, retryAfterHeader?: string | null): ParsedError {
  let code = '';
  let message = '';
  let retry: number | undefined;
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const err = b.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      code = typeof e.code === 'string' ? e.code : '';
      message = typeof e.message === 'string' ? e.message : '';
      if (typeof e.retry_after === 'number') retry = e.retry_after;
    } else {
      if (typeof b.code === 'string') code = b.code;
      else if (typeof err === 'string') code = err === 'rate_limit_exceeded' ? 'RATE_LIMITED' : err.toUpperCase();
      if (typeof b.message === 'string') message = b.message;
      else if (typeof err === 'string' && !code) message = err;
    }
    if (typeof b.retry_after === 'number') retry = b.retry_after;
  } else if (typeof body === 'string') {
    message = body;
  }
  if (retry === undefined && retryAfterHeader) {
    const n = Number(retryAfterHeader);
    if (Number.isFinite(n)) retry = n;
  }
  if (!code) code = codeForStatus(status);
  return { code, message, retryAfter: retry };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400: return 'VALIDATION_ERROR';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'FORBIDDEN';
    case 404: return 'NOT_FOUND';
    case 409: return 'DUPLICATE_NAME';
    case 429: return 'RATE_LIMITED';
    default: return status >= 500 ? 'INTERNAL_ERROR' : 'UNKNOWN_ERROR';
  }
}

function seconds(n: number): string {
  return n === 1 ? '1 second' : `${n} seconds`;
}

/** Adds the server's text after a sentence, when it says more than the sentence. */
function withDetail(sentence: string, detail: string): string {
  const d = detail.trim();
  if (!d) return sentence;
  const clean = d.replace(/^invalid request:\s*/i, '');
  return `${sentence} ${clean.charAt(0).toUpperCase()}${clean.slice(1)}${/[.!?]$/.test(clean) ? '' : '.'}`;
}

export function humanMessage(status: number, code: string, serverMessage: string, retryAfter?: number, context: ErrorContext = 'default'): string {
  switch (code) {
    case 'NETWORK_ERROR':
      return 'Cannot reach the DBBat server. Check your network connection and try again.';
    case 'INVALID_CREDENTIALS':
      return context === 'password-change'
        ? 'The username or current password is incorrect.'
        : 'The username or password is incorrect.';
    case 'PASSWORD_CHANGE_REQUIRED':
      return 'You must choose a new password before you can sign in.';
    case 'WEAK_PASSWORD':
      return 'This password is too weak: use at least 8 characters.';
    case 'RATE_LIMITED':
      return retryAfter && retryAfter > 0
        ? `Too many attempts. Please wait ${seconds(Math.ceil(retryAfter))} and try again.`
        : 'Too many attempts. Please wait a moment and try again.';
    case 'UNAUTHORIZED':
      return context === 'login' ? 'The username or password is incorrect.' : 'Your session has expired. Please sign in again.';
    case 'FORBIDDEN':
      return withDetail('You are not allowed to do this.', serverMessage);
    case 'NOT_FOUND':
      return 'This item does not exist or was deleted.';
    case 'VALIDATION_ERROR':
      return withDetail('Some values are not valid.', serverMessage);
    case 'DUPLICATE_NAME':
    case 'CONFLICT':
      return withDetail('This name is already in use.', serverMessage);
    case 'TARGET_MATCHES_SELF':
      return "This target is DBBat's own storage database, which cannot be used as a proxy target.";
    case 'ALREADY_REVOKED':
      return 'This was already revoked.';
    case 'SERVICE_UNAVAILABLE':
      return 'DBBat is not ready (its storage database is unavailable). Please try again in a moment.';
    case 'BAD_REQUEST':
      return withDetail('The request was not understood.', serverMessage);
    case 'GRANT_EXPIRED':
      return 'This grant has expired.';
    case 'QUOTA_EXCEEDED':
      return 'The quota of this grant is used up.';
    case 'INTERNAL_ERROR':
      return 'The server ran into a problem. Please try again; if it keeps happening, tell your administrator.';
    default:
      if (status >= 500) return 'The server ran into a problem. Please try again; if it keeps happening, tell your administrator.';
      return serverMessage ? withDetail('The request failed.', serverMessage) : `The request failed (HTTP ${status}).`;
  }
}

/** Any thrown value as a sentence for an error banner. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Something went wrong.';
}
