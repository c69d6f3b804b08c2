import type { ReportRow } from '../report/rows.js';

// PLACEHOLDER: the self-contained HTML report (issue 8).
export interface HtmlOptions { title?: string }
export function renderHtml(_rows: ReportRow[], _opts: HtmlOptions = {}): string {
  throw new Error('the HTML report is not built yet');
}
