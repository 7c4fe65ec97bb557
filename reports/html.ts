// Small HTML pieces shared by the report's sections.
import { esc, relHref } from './escape.ts';
import type { Section } from './summary.ts';

export const notAvailable = (reason: string): string => `<p class="na">${esc(reason)}</p>`;

export function section<T>(s: Section<T>, body: (data: T) => string): string {
  return s.available ? body(s.data) : notAvailable(s.reason);
}

export function link(path: string | undefined, text: string): string {
  const href = path === undefined ? undefined : relHref(path);
  return href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);
}
