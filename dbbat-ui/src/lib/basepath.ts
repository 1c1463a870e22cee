// The UI's mount path, read from <base href> (which the server sets to DBB_BASE_URL + "/").

/** "/app/" -> "/app"; "/" -> "". */
export function normaliseBase(href: string | null | undefined): string {
  if (!href) return '';
  let path = href;
  try {
    path = new URL(href, 'http://x').pathname;
  } catch {
    // keep as is
  }
  return path.replace(/\/+$/, '');
}

export function detectBase(doc: Document | undefined = typeof document !== 'undefined' ? document : undefined): string {
  const href = doc?.querySelector('base')?.getAttribute('href');
  return normaliseBase(href);
}

/** Path inside the app for a full location pathname: "/app/queries/x" -> "/queries/x". */
export function stripBase(pathname: string, base: string): string {
  if (base && (pathname === base || pathname.startsWith(base + '/'))) {
    return pathname.slice(base.length) || '/';
  }
  return pathname || '/';
}

/** Full location pathname for an app path: "/queries/x" -> "/app/queries/x". */
export function withBase(path: string, base: string): string {
  const p = path.startsWith('/') ? path : '/' + path;
  return base + p;
}
