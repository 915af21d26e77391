/**
 * The toasts' and the center's CSS, added to the page once. Colours are CSS variables
 * (light by default, dark with data-theme="dark" or the system's dark mode under
 * data-theme="system"), so an app can restyle them; motion is off under
 * prefers-reduced-motion.
 */

const CSS = `
.dn-root{--dn-bg:#fff;--dn-fg:#1b1f24;--dn-muted:#59636e;--dn-border:#d0d7de;--dn-shadow:0 4px 14px rgba(0,0,0,.14);
--dn-none:#6e7781;--dn-low:#1a7f37;--dn-medium:#9a6700;--dn-high:#bc4c00;--dn-critical:#cf222e;--dn-focus:#0969da;--dn-hover:#f1f3f5;
font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--dn-fg)}
.dn-root[data-theme=dark]{--dn-bg:#22272e;--dn-fg:#e6edf3;--dn-muted:#9ea7b3;--dn-border:#444c56;--dn-shadow:0 4px 14px rgba(0,0,0,.5);
--dn-none:#8b949e;--dn-low:#57ab5a;--dn-medium:#c69026;--dn-high:#e0823d;--dn-critical:#f47067;--dn-focus:#539bf5;--dn-hover:#2d333b}
@media (prefers-color-scheme:dark){.dn-root[data-theme=system]{--dn-bg:#22272e;--dn-fg:#e6edf3;--dn-muted:#9ea7b3;--dn-border:#444c56;
--dn-none:#8b949e;--dn-low:#57ab5a;--dn-medium:#c69026;--dn-high:#e0823d;--dn-critical:#f47067;--dn-focus:#539bf5;--dn-hover:#2d333b}}
.dn-sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.dn-region{position:fixed;z-index:2147483000;display:flex;flex-direction:column;gap:8px;width:min(360px,calc(100vw - 32px));margin:0;padding:0;list-style:none;outline:none}
.dn-region[data-position^=top]{top:16px}.dn-region[data-position^=bottom]{bottom:var(--dn-bottom,16px);flex-direction:column-reverse}
.dn-region[data-stacked=collapsed]{display:grid}
.dn-region[data-stacked=collapsed]>.dn-toast{grid-area:1/1;z-index:calc(10 - var(--dn-k,0));transition:transform .2s}
.dn-region[data-stacked=collapsed][data-position^=bottom]>.dn-toast{align-self:end;transform:translateY(calc(var(--dn-k,0)*-10px)) scale(calc(1 - var(--dn-k,0)*.05))}
.dn-region[data-stacked=collapsed][data-position^=top]>.dn-toast{align-self:start;transform:translateY(calc(var(--dn-k,0)*10px)) scale(calc(1 - var(--dn-k,0)*.05))}
.dn-region[data-stacked=collapsed]>.dn-toast[data-depth]{height:var(--dn-front-h);box-sizing:border-box;overflow:hidden;animation:none}
.dn-region[data-stacked=collapsed]>.dn-toast[data-depth]>*{visibility:hidden}
.dn-region[data-stacked=collapsed]>.dn-toast[data-depth]:nth-last-child(n+4){opacity:0}
.dn-region[data-position$=left]{left:16px}.dn-region[data-position$=right]{right:16px}
.dn-region[data-position$=center]{left:50%;transform:translateX(-50%)}
.dn-toast{position:relative;background:var(--dn-bg);color:var(--dn-fg);border:1px solid var(--dn-border);border-left:4px solid var(--dn-sev);
border-radius:8px;box-shadow:var(--dn-shadow);padding:10px 36px 10px 12px;animation:dn-in .18s ease-out}
.dn-root [data-severity=None]{--dn-sev:var(--dn-none)}.dn-root [data-severity=Low]{--dn-sev:var(--dn-low)}
.dn-root [data-severity=Medium]{--dn-sev:var(--dn-medium)}.dn-root [data-severity=High]{--dn-sev:var(--dn-high)}
.dn-root [data-severity=Critical]{--dn-sev:var(--dn-critical)}
.dn-main{display:flex;gap:10px;width:100%;padding:0;border:0;background:none;color:inherit;font:inherit;text-align:start;cursor:pointer}
.dn-icon{flex:none;width:24px;height:24px;border-radius:50%;display:grid;place-items:center;background:var(--dn-sev);color:#fff;font-weight:700;overflow:hidden}
.dn-icon img{width:100%;height:100%;object-fit:cover}
.dn-text{display:block;min-width:0}.dn-text>span{display:block;overflow-wrap:anywhere}
.dn-meta{font-size:12px;color:var(--dn-muted)}.dn-sev{color:var(--dn-sev);font-weight:600}
.dn-title{font-weight:600}.dn-body{white-space:pre-line}
.dn-actions{display:flex;gap:8px;margin:8px 0 0 34px}
.dn-btn{font:inherit;font-size:13px;padding:3px 10px;border:1px solid var(--dn-border);border-radius:6px;background:transparent;color:inherit;cursor:pointer}
.dn-btn:hover{border-color:var(--dn-sev,var(--dn-focus))}
.dn-close{position:absolute;top:6px;inset-inline-end:6px;width:24px;height:24px;border:0;border-radius:4px;background:none;color:var(--dn-muted);font-size:18px;line-height:1;cursor:pointer}
.dn-root :focus-visible{outline:2px solid var(--dn-focus);outline-offset:2px}
.dn-progress{height:4px;margin:8px 0 0 34px;border-radius:2px;background:var(--dn-border);overflow:hidden}
.dn-progress>span{display:block;height:100%;background:var(--dn-sev);transition:width .2s}
.dn-progress[data-indeterminate]>span{width:30%;animation:dn-slide 1.2s linear infinite}
.dn-bell{position:relative;display:inline-grid;place-items:center;font:inherit;padding:6px 8px;border:1px solid var(--dn-border);border-radius:6px;background:var(--dn-bg);color:var(--dn-fg);cursor:pointer}
.dn-center-root{position:relative;display:inline-block}
.dn-badge{position:absolute;top:-6px;right:-8px;min-width:18px;padding:0 4px;border-radius:9px;background:var(--dn-critical);color:#fff;font-size:11px;line-height:18px}
@keyframes dn-in{from{opacity:0;transform:translateY(8px)}}
@keyframes dn-slide{from{transform:translateX(-100%)}to{transform:translateX(340%)}}
@media (prefers-reduced-motion:reduce){.dn-toast,.dn-progress>span{animation:none!important;transition:none!important}}
`;

const added = new Set();

/** Adds `css` to the page once under `name` (the center's panel brings its own). */
export function addCss(name, css) {
    if (added.has(name) || typeof document === 'undefined') {
        return;
    }
    added.add(name);
    const style = document.createElement('style');
    style.setAttribute('data-dash-notify', name);
    style.textContent = css;
    document.head.appendChild(style);
}

export function addStyles() {
    addCss('main', CSS);
}
