/** The settings view's CSS, loaded with it (the variables are styles.js's). */

export const PREFERENCES_CSS = `
.dn-back{margin-inline-start:-6px}
.dn-prefs .dn-center-head h2{text-align:end}
.dn-pref-row{display:grid;grid-template-columns:minmax(0,1fr) repeat(var(--dn-cols,3),52px);align-items:center;gap:4px;padding:7px 4px;border-radius:8px}
.dn-pref-row:not(.dn-pref-cols):hover,.dn-pref-row:focus-within{background:var(--dn-hover)}
.dn-pref-cols{padding-top:0;padding-bottom:2px;font-size:12px;font-weight:600;color:var(--dn-muted);text-align:center}
.dn-pref-name{min-width:0;overflow-wrap:anywhere;font-weight:550}
.dn-pref-why{display:block;font-size:12px;font-weight:400;color:var(--dn-muted);margin:2px 0 0}
.dn-switch{justify-self:center;position:relative;width:34px;height:20px;padding:0;border:0;border-radius:10px;background:var(--dn-border);cursor:pointer;transition:background .15s}
.dn-switch[aria-checked=true]{background:var(--dn-focus)}
.dn-knob{position:absolute;top:2px;left:2px;width:16px;height:16px;border-radius:50%;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.3);transition:transform .15s}
.dn-switch[aria-checked=true] .dn-knob{transform:translateX(14px)}
.dn-switch[aria-disabled=true]{opacity:.5;cursor:not-allowed}
.dn-switch:focus-visible{outline:2px solid var(--dn-focus);outline-offset:2px}
.dn-pref-mode{margin:12px 4px 4px;display:flex;flex-direction:column;gap:4px}
.dn-pref-error{margin:0 0 8px;padding:8px 10px;border-radius:8px;background:var(--dn-hover);color:var(--dn-critical);font-size:13px}
@media (prefers-reduced-motion:reduce){.dn-switch,.dn-knob{transition:none}}
`;
