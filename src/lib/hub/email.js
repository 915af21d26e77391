/**
 * A link in a notification mail opens the app with `?dash_notify_email=<id>` (the hub
 * has already marked it seen and counted the click). The page finds that notification,
 * among the center's items or in the user's history on the hub, and takes the parameter
 * out of the address bar, so that a reload does not click again.
 */

import {fetchHistory} from './connection.js';

export const EMAIL_PARAM = 'dash_notify_email';

/** The notification id in the page's address, removing it from the address; or null. */
export function takeEmailParam() {
    const url = new URL(window.location.href);
    const value = url.searchParams.get(EMAIL_PARAM);
    if (value === null) {
        return null;
    }
    url.searchParams.delete(EMAIL_PARAM);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;
}

/**
 * The notification a mail link opened this page for (see takeEmailParam): the center's
 * item (from `known`), or the hub history's message (`{id, created, seen, options}`, for `toItem`); null when the user
 * has no such notification. `itemId` gives the center's id of a hub id (hub/ids.js,
 * passed in: an import would keep that module out of the start bundle's scope hoisting).
 */
export async function findEmailed(root, known, toItem, itemId) {
    const id = takeEmailParam();
    if (id === null) {
        return null;
    }
    const item = known.find(entry => entry.id === itemId(id));
    if (item) {
        return item;
    }
    const {items} = await fetchHistory(root, 1, id + 1);
    return items.length && items[0].id === id ? toItem(items[0]) : null;
}

/**
 * Clicks the notification a mail link opened this page for (`click(item)`), if any:
 * see findEmailed. A failure is logged: the page works on without it.
 */
export function openEmailed(root, known, toItem, itemId, click) {
    return findEmailed(root, known, toItem, itemId)
        .then(item => item && click(item))
        .catch(error => console.warn(`dash_notify: hub email link: ${error.message}`));
}
