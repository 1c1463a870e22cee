/** The DBBat mark: a database cylinder with bat wings. Inline SVG, no font or network needed. */
export function Logo({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo">
      <path d="M2 12c3 0 5 2 6 5 1-2 2-3 4-3v10c-2 0-3-1-4-3-1 2-3 3-6 3 2-3 2-9 0-12zM30 12c-3 0-5 2-6 5-1-2-2-3-4-3v10c2 0 3-1 4-3 1 2 3 3 6 3-2-3-2-9 0-12z" fill="currentColor" opacity=".55" />
      <ellipse cx="16" cy="9" rx="6" ry="2.5" fill="currentColor" />
      <path d="M10 9v14c0 1.4 2.7 2.5 6 2.5s6-1.1 6-2.5V9c0 1.4-2.7 2.5-6 2.5S10 10.4 10 9z" fill="currentColor" />
    </svg>
  );
}
