// HTML escaping for every string that reaches the report: test names, failure text, tool output
// and file names come from tests and tools, so none of them is trusted as markup.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value safe inside HTML and SVG (both quote styles). */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A relative link target: only plain relative paths (no scheme, no `..`), each segment URI-encoded. */
export function relHref(path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.split('/').includes('..')) return undefined;
  return path.split('/').map(encodeURIComponent).join('/');
}
