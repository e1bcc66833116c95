namespace ReasonTools.Reports;

/// <summary>
/// The one style sheet of every view. Every selector starts with <c>.rt-report</c> so a fragment
/// embedded in a notebook neither restyles the page nor is restyled by it; no '&amp;' or '&lt;' so the
/// sheet stays valid XML text.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
.rt-report{--rt-fg:#1f2328;--rt-bg:#ffffff;--rt-soft:#f6f8fa;--rt-muted:#59636e;--rt-border:#d1d9e0;
--rt-accent:#0969da;--rt-accent2:#8250df;--rt-ok:#1a7f37;--rt-ok-bg:#dafbe1;--rt-bad:#cf222e;--rt-bad-bg:#ffebe9;
--rt-warn:#9a6700;--rt-warn-bg:#fff8c5;--rt-mark:#fff1a8;
--rt-gpu:#b7ebc6;--rt-partial:#c9e4ff;--rt-cpu:#ffe8b3;--rt-none:#eceff3;
color:var(--rt-fg);background:var(--rt-bg);border:1px solid var(--rt-border);border-radius:10px;
padding:16px 20px;margin:8px 0;max-width:1100px;box-sizing:border-box;
font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif;}
@media (prefers-color-scheme: dark){.rt-report{--rt-fg:#e6edf3;--rt-bg:#0d1117;--rt-soft:#161b22;--rt-muted:#9198a1;
--rt-border:#3d444d;--rt-accent:#4493f8;--rt-accent2:#ab7df8;--rt-ok:#3fb950;--rt-ok-bg:#12361f;--rt-bad:#f85149;
--rt-bad-bg:#3c1618;--rt-warn:#d29922;--rt-warn-bg:#3b2e05;--rt-mark:#5c4a00;
--rt-gpu:#1d4a2b;--rt-partial:#123d66;--rt-cpu:#4d3a0f;--rt-none:#262c36;}}
.rt-report *{box-sizing:border-box;}
.rt-report,.rt-report div,.rt-report p,.rt-report li,.rt-report summary,.rt-report caption{text-align:left;}
.rt-report table{margin-left:0;margin-right:auto;}
.rt-report thead,.rt-report tbody,.rt-report tr{text-align:left;background:transparent;}
.rt-report h2{font-size:18px;margin:0 0 4px;font-weight:600;}
.rt-report h3{font-size:13px;margin:18px 0 6px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--rt-muted);}
.rt-report .rt-sub{color:var(--rt-muted);font-size:13px;}
.rt-report .rt-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 12px;margin-bottom:10px;}
.rt-report .rt-badge{display:inline-block;border-radius:999px;padding:1px 10px;font-size:12px;font-weight:600;border:1px solid transparent;}
.rt-report .rt-flag{color:var(--rt-warn);background:var(--rt-warn-bg);border-color:var(--rt-warn);}
.rt-report .rt-flag-bad{color:var(--rt-bad);background:var(--rt-bad-bg);border-color:var(--rt-bad);}
.rt-report .rt-prompt summary{font-weight:400;}
.rt-report .rt-note-ref{display:block;font-size:12px;color:var(--rt-muted);}
.rt-report .rt-prompt{background:var(--rt-soft);border-left:3px solid var(--rt-border);padding:6px 12px;margin:8px 0;border-radius:4px;}
.rt-report .rt-label{font-size:12px;color:var(--rt-muted);text-transform:uppercase;letter-spacing:.04em;}
.rt-report .rt-text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:inherit;}
.rt-report .rt-answer{border:1px solid var(--rt-accent);border-radius:8px;padding:10px 14px;margin:10px 0;}
.rt-report .rt-final{font-size:20px;font-weight:600;margin:2px 0 6px;}
.rt-report .rt-final mark{background:var(--rt-mark);color:inherit;padding:0 6px;border-radius:4px;}
.rt-report details{border:1px solid var(--rt-border);border-radius:8px;padding:6px 12px;margin:10px 0;background:var(--rt-soft);}
.rt-report summary{cursor:pointer;font-weight:600;}
.rt-report summary .rt-sub{font-weight:400;}
.rt-report ol.rt-steps{margin:8px 0;padding-left:28px;}
.rt-report ol.rt-steps li{margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere;}
.rt-report table{border-collapse:collapse;margin:4px 0;font-variant-numeric:tabular-nums;}
.rt-report table th,.rt-report table td{border:1px solid var(--rt-border);padding:4px 10px;text-align:left;vertical-align:top;}
.rt-report th{background:var(--rt-soft);font-weight:600;}
.rt-report table td.rt-num{text-align:right;white-space:nowrap;}
.rt-report .rt-ok{color:var(--rt-ok);font-weight:700;}
.rt-report .rt-bad{color:var(--rt-bad);font-weight:700;}
.rt-report .rt-na{color:var(--rt-muted);}
.rt-report td.rt-cell-ok{background:var(--rt-ok-bg);}
.rt-report td.rt-cell-bad{background:var(--rt-bad-bg);}
.rt-report code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere;}
.rt-report .rt-note{display:block;color:var(--rt-muted);font-size:12px;font-style:italic;}
.rt-report .rt-meta{display:block;color:var(--rt-muted);font-size:12px;}
.rt-report .rt-charts{display:flex;flex-wrap:wrap;gap:12px 28px;margin-top:6px;}
.rt-report svg.rt-chart{max-width:100%;height:auto;color:var(--rt-fg);}
.rt-report svg.rt-chart .rt-bar{fill:var(--rt-accent);}
.rt-report svg.rt-chart.rt-alt .rt-bar{fill:var(--rt-accent2);}
.rt-report svg.rt-chart .rt-axis{stroke:var(--rt-border);}
.rt-report .rt-chips{display:flex;flex-wrap:wrap;gap:4px;}
.rt-report .rt-chip{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;background:var(--rt-soft);border:1px solid var(--rt-border);border-radius:4px;padding:0 6px;}
.rt-report td.rt-place-gpu{background:var(--rt-gpu);}
.rt-report td.rt-place-partial{background:var(--rt-partial);}
.rt-report td.rt-place-cpu{background:var(--rt-cpu);}
.rt-report td.rt-place-none{background:var(--rt-none);color:var(--rt-muted);}
.rt-report td.rt-rec{outline:3px solid var(--rt-accent);outline-offset:-3px;}
.rt-report td.rt-slow,.rt-report .rt-swatch.rt-slow{background:repeating-linear-gradient(135deg,var(--rt-warn-bg) 0 6px,var(--rt-none) 6px 12px);}
.rt-report td.rt-slow .rt-place{color:var(--rt-warn);}
.rt-report .rt-verdict{border:2px solid var(--rt-border);border-radius:8px;padding:10px 14px;margin:12px 0;font-size:15px;font-weight:600;}
.rt-report .rt-verdict-fits{border-color:var(--rt-ok);background:var(--rt-ok-bg);}
.rt-report .rt-verdict-slow{border-color:var(--rt-warn);background:var(--rt-warn-bg);}
.rt-report .rt-verdict-no{border-color:var(--rt-bad);background:var(--rt-bad-bg);}
.rt-report .rt-place{font-weight:600;}
.rt-report table.rt-fit tbody th,.rt-report table.rt-grid thead th{white-space:nowrap;}
.rt-report .rt-legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;color:var(--rt-muted);margin:6px 0;}
.rt-report .rt-swatch{display:inline-block;width:12px;height:12px;border-radius:3px;border:1px solid var(--rt-border);vertical-align:-2px;margin-right:4px;}
.rt-report .rt-recommend{border:1px solid var(--rt-accent);border-radius:8px;padding:10px 14px;margin:12px 0;font-size:15px;}
.rt-report ul.rt-notes{margin:4px 0;padding-left:20px;color:var(--rt-muted);}
.rt-report .rt-settings{color:var(--rt-muted);font-size:12px;margin-top:8px;}
""";
}
