/** The center panel's CSS, loaded with the panel (the variables are styles.js's). */

export const PANEL_CSS = `
.dn-center{position:absolute;z-index:2147482000;width:min(400px,calc(100vw - 32px));max-height:70vh;overflow:auto;margin-top:8px;
background:var(--dn-bg);color:var(--dn-fg);border:1px solid var(--dn-border);border-radius:12px;box-shadow:var(--dn-shadow);padding:12px;box-sizing:border-box;outline:none}
.dn-center-head{display:flex;align-items:center;gap:4px;margin-bottom:10px}
.dn-center-head h2{flex:1;margin:0;font-size:16px;font-weight:650}
.dn-link{font:inherit;font-size:13px;padding:4px 8px;border:0;border-radius:6px;background:none;color:var(--dn-focus);cursor:pointer}
.dn-link:hover:not(:disabled){background:var(--dn-hover)}.dn-link:disabled{color:var(--dn-muted);opacity:.6;cursor:default}
.dn-search{box-sizing:border-box;width:100%;font:inherit;padding:7px 10px;border:1px solid var(--dn-border);border-radius:8px;background:var(--dn-bg);color:inherit;margin-bottom:8px}
.dn-filters{display:flex;flex-direction:column;gap:6px;margin-bottom:6px}
.dn-seg{display:inline-flex;align-self:flex-start;flex-wrap:wrap;margin:0;padding:2px;border:0;border-radius:8px;background:var(--dn-hover)}
.dn-seg label{position:relative;cursor:pointer}
.dn-seg input{position:absolute;opacity:0;inset:0;margin:0;cursor:pointer}
.dn-seg span{display:block;padding:3px 10px;border-radius:6px;font-size:12.5px;color:var(--dn-muted)}
.dn-seg input:checked+span{background:var(--dn-bg);color:var(--dn-fg);font-weight:600;box-shadow:0 1px 2px rgba(0,0,0,.15)}
.dn-seg input:focus-visible+span{outline:2px solid var(--dn-focus);outline-offset:1px}
.dn-day{margin:12px 2px 6px;font-size:12px;font-weight:600;color:var(--dn-muted);text-transform:uppercase;letter-spacing:.04em}
.dn-center ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:2px}
.dn-item{position:relative;border-radius:8px;padding:8px 36px 8px 8px}
.dn-item:hover,.dn-item:focus-within{background:var(--dn-hover)}
.dn-item .dn-main{align-items:flex-start}
.dn-item .dn-meta{margin-top:2px}
.dn-item[data-read=true] .dn-title{font-weight:500}
.dn-dot{flex:none;width:8px;height:8px;margin-top:7px;margin-inline-start:auto;border-radius:50%;background:var(--dn-focus)}
.dn-item .dn-actions{margin:6px 0 0 34px}
.dn-menu-wrap{position:absolute;top:6px;inset-inline-end:6px;opacity:0}
.dn-item:hover .dn-menu-wrap,.dn-item:focus-within .dn-menu-wrap,.dn-menu-wrap[data-open]{opacity:1}
.dn-menu-btn{width:26px;height:26px;border:0;border-radius:6px;background:none;color:var(--dn-muted);font-size:16px;line-height:1;cursor:pointer}
.dn-menu-btn:hover,.dn-menu-btn[aria-expanded=true]{background:var(--dn-border);color:var(--dn-fg)}
.dn-menu{position:absolute;z-index:1;inset-inline-end:0;top:28px;min-width:150px;margin:0;padding:4px;list-style:none;background:var(--dn-bg);border:1px solid var(--dn-border);border-radius:8px;box-shadow:var(--dn-shadow)}
.dn-menu button{display:block;width:100%;padding:6px 10px;border:0;border-radius:5px;background:none;color:inherit;font:inherit;font-size:13px;text-align:start;cursor:pointer}
.dn-menu button:hover,.dn-menu button:focus{background:var(--dn-hover);outline:none}
.dn-empty{padding:28px 8px;text-align:center;color:var(--dn-muted)}.dn-empty p{margin:6px 0 0}.dn-empty svg{opacity:.5}
.dn-muted{font-size:12.5px}
.dn-more{display:block;width:100%;margin-top:8px;font:inherit;font-size:13px;padding:7px;border:1px solid var(--dn-border);border-radius:8px;background:none;color:inherit;cursor:pointer}
.dn-more:hover:not(:disabled){background:var(--dn-hover)}
`;
