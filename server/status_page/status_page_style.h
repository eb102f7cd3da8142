// The status page's inline stylesheet: readable from phone (390 px) to desktop widths; columns
// marked "opt" are hidden on narrow screens and tables scroll sideways rather than overflow.
#pragma once

#include <string_view>

namespace vgls::server {

inline constexpr std::string_view status_page_css = R"css(
:root{--fg:#1d2330;--muted:#667085;--bg:#f4f5f7;--card:#fff;--line:#e4e7ec;--accent:#3358d4;
--warn:#93370d;--warnbg:#fef0c7;--bad:#b42318;--badbg:#fee4e2;--ok:#067647;--bar:#3358d4}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
background:var(--bg);color:var(--fg)}
header{background:#1d2330;color:#fff;padding:12px 16px}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px}
header h1{margin:0;font-size:20px}
header .facts{display:flex;flex-wrap:wrap;gap:2px 14px;color:#d0d5dd;font-size:13px}
header .facts span{white-space:nowrap}
main{max-width:1280px;margin:0 auto;padding:16px}
section,.alert{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:12px 16px;margin:0 0 16px}
h2{font-size:16px;margin:0 0 8px}
h2 small{font-weight:normal;color:var(--muted);font-size:13px}
.alert{border-color:#fda29b;background:var(--badbg);color:var(--bad);font-weight:600}
.alert.soon{border-color:#fec84b;background:var(--warnbg);color:var(--warn)}
.alert ul{margin:4px 0 0;padding-left:20px}
.alert li[data-urgency=ending_soon]{color:var(--warn)}
#edition-totals{width:auto;min-width:50%}
td.renewed,td.held{font-variant-numeric:tabular-nums}
table.events td.what{white-space:normal;min-width:18em;overflow-wrap:anywhere}
td.what.bad{color:var(--bad)}
td.type{color:var(--muted);font-size:12px}
figcaption .since{font-weight:normal;font-size:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);white-space:nowrap;
vertical-align:middle}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.warn td{background:var(--warnbg)}
td.warn{color:var(--warn);font-weight:600}
tr.expired td.warn,td.bad{color:var(--bad)}
.state-active{color:var(--ok)}
.state-expired{color:var(--bad)}
.state-not_started{color:var(--muted)}
.use{min-width:150px}
.bar{display:inline-block;width:90px;height:10px;background:var(--line);border-radius:5px;
overflow:hidden;vertical-align:middle;margin-right:8px}
.bar span{display:block;height:100%;background:var(--bar)}
.bar.high span{background:#dc6803}
.bar.full span{background:var(--bad)}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.muted{color:var(--muted)}
.labels span{display:inline-block;background:#eef2ff;border-radius:4px;padding:0 4px;margin:1px 2px;
font-size:12px}
form.filters{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 10px;align-items:end}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
form.filters input,form.filters select{font:inherit;padding:4px 6px;border:1px solid #d0d5dd;
border-radius:4px;min-width:120px;background:#fff}
form.filters button{font:inherit;padding:5px 12px;border:0;border-radius:4px;background:var(--accent);
color:#fff;cursor:pointer}
.problems{color:var(--warn)}
.pager{display:flex;gap:16px;justify-content:space-between;flex-wrap:wrap;margin-top:8px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(300px,100%),1fr));gap:16px}
figure{margin:0;min-width:0}
figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;height:auto;display:block}
svg .grid{stroke:var(--line);stroke-width:1}
svg .axis{font-size:12px;fill:var(--muted)}
.legend{font-size:12px;margin-top:4px;display:flex;flex-wrap:wrap;gap:2px 12px}
.legend span{white-space:nowrap}
.legend span.above-scale{white-space:normal;min-width:0}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 16px 16px}
@media (max-width:640px){
body{font-size:13px}
main{padding:8px}
section,.alert{padding:8px 10px;margin-bottom:10px}
th,td{padding:4px 6px}
.opt{display:none}
th{white-space:normal;font-size:11px;letter-spacing:0}
td.id{white-space:normal;overflow-wrap:anywhere;min-width:5em}
td.when{white-space:normal;min-width:6em}
table.events td.what{min-width:12em}
figcaption .since{display:block}
svg .axis{font-size:17px}
.bar{width:28px;margin-right:4px}
.use{min-width:0}
form.filters input,form.filters select{min-width:0;width:9.5em}
}
)css";

}  // namespace vgls::server
