// The page's stylesheet, inlined. Colours are custom properties, switched by
// prefers-color-scheme so the page follows the viewer's light or dark preference.
export const PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#1d2330;--muted:#5d6675;--card:#fff;--line:#dfe3ea;--grid:#e8ebf0;
--deny:#d0433a;--log:#d99a16;--accept:#2f9a5a;--other:#7b6fd0;--heat:208,67,58;--zebra:#f9fafb;--accent:#2f6fd0}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e3e6eb;--muted:#98a1ad;--card:#1d2128;--line:#2f3540;
--grid:#262b33;--deny:#f0645a;--log:#f0b43c;--accept:#4cc27e;--other:#a197f0;--heat:240,100,90;--zebra:#20252c;--accent:#6ea3f5}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
header{padding-top:18px}
h1{font-size:22px;margin:0 0 2px}
nav{margin-top:8px;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
section.panel{scroll-margin-top:8px}
h2{font-size:16px;margin:0 0 10px}
h2 small{font-weight:normal;color:var(--muted)}
.sub,.note,footer{color:var(--muted)}
footer{font-size:12px;padding-bottom:24px}
section{margin:16px 0}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px;overflow-x:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .value{font-size:24px;font-weight:600;margin:2px 0}
.card .sub{font-size:12px}
.grid2{margin:16px 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:16px}
.grid2>section{margin:0}
svg.timeline{width:100%;height:auto;display:block}
svg .grid{stroke:var(--grid);stroke-width:1}
svg .axis,svg .tick{stroke:var(--muted);stroke-width:1}
svg text{fill:var(--muted);font-size:11px}
svg .ylab{text-anchor:end}
svg .xlab{text-anchor:middle}
svg .xlab.first{text-anchor:start}
svg .xlab.last{text-anchor:end}
.seg.deny,.sw.deny{fill:var(--deny);background:var(--deny)}
.seg.log,.sw.log{fill:var(--log);background:var(--log)}
.seg.accept,.sw.accept{fill:var(--accept);background:var(--accept)}
.seg.other,.sw.other{fill:var(--other);background:var(--other)}
.bar:hover .seg{opacity:.75}
.legend{list-style:none;margin:6px 0 0;padding:0;display:flex;gap:18px;flex-wrap:wrap}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:4px 6px;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap}
thead th{font-size:12px;color:var(--muted);font-weight:600;position:sticky;top:0;background:var(--card)}
table.sortable tbody tr:nth-child(even){background:var(--zebra)}
.num{text-align:right}
td.addr .ip{color:var(--muted);font-size:12px}
td.list{white-space:normal;min-width:240px}
td.addr .name{display:inline-block;max-width:30ch;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}
tr.empty td{color:var(--muted);font-style:italic}
th:has(button.sort){cursor:pointer}
th button.sort{all:unset;cursor:pointer}
th button.sort:focus-visible{outline:2px solid var(--accent)}
th[aria-sort=ascending] button.sort::after{content:" \\25B2";font-size:9px}
th[aria-sort=descending] button.sort::after{content:" \\25BC";font-size:9px}
table.heatmap{width:auto}
table.heatmap th,table.heatmap td{border:0;padding:0;text-align:center;font-size:10px}
table.heatmap thead th{font-weight:normal;position:static}
table.heatmap tbody th{padding-right:8px;text-align:right;font-size:12px;color:var(--muted);font-weight:normal}
td.hm{width:30px;height:24px;border:1px solid var(--card);background:linear-gradient(rgba(var(--heat),var(--l)),rgba(var(--heat),var(--l))),var(--grid);color:var(--fg)}
details summary{cursor:pointer;color:var(--muted);margin-top:8px}
.tip{position:fixed;z-index:10;pointer-events:none;background:var(--fg);color:var(--bg);padding:4px 8px;border-radius:4px;font-size:12px;max-width:420px}
`;
