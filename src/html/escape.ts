// Every string that reaches the page from a log (prefixes, actions, interface names, hostnames,
// PTR names) goes through escapeHtml, in text and in attribute values alike: the page must show
// `<img src=x onerror=alert(1)>` as text, never as an element.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text -> HTML, safe both as element content and inside a double- or single-quoted attribute.
 * Control characters (which a hostile log line may carry) are shown as `\xHH` instead of being
 * passed to the browser, which would drop or replace them silently.
 */
export function escapeHtml(value: unknown): string {
  // objects as JSON: String() throws on a parsed {"toString": "x"}
  const s = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"']|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) =>
    ENTITIES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
