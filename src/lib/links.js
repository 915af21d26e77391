/**
 * Following a notification's `url` option after a click on its body. A path of the app
 * is pushed onto the history and announced as dcc.Link does (the `_dashprivate_pushstate`
 * event that dcc.Location, and so Dash Pages, listens to): the app changes page without
 * a reload. An http(s) URL opens in a new tab, without a handle back to this page.
 * Only values that passed the schema's link-url check reach here.
 */

export const isAppPath = url => url.startsWith('/');

export function followLink(url) {
    if (!isAppPath(url)) {
        window.open(url, '_blank', 'noopener,noreferrer');
        return;
    }
    const here = window.location.pathname + window.location.search + window.location.hash;
    if (here !== url) {
        window.history.pushState({}, '', url);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));
        window.scrollTo(0, 0);
    }
}
