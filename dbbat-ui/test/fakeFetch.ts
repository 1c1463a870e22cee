// A scripted fetch for unit tests: routes "METHOD /path" to a handler, records calls.
import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (call: Call) => Reply | Promise<Reply>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const call: Call = {
      method,
      path,
      query: url.searchParams,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const key = `${method} ${path}`;
    const handler = routes[key] ?? Object.entries(routes).find(([k]) => new RegExp('^' + k.replace(/:[a-z_]+/g, '[^/]+') + '$').test(key))?.[1];
    if (!handler) return json(404, { error: { code: 'NOT_FOUND', message: `no route ${key}` } });
    const reply = await handler(call);
    return json(reply.status ?? 200, reply.body, reply.headers);
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}
