/**
 * The settings view's data: the rows shown for the hub's preferences answer, and
 * reading and changing one value of a sparse preferences document by its path
 * (["channels", channel], ["categories", name, channel] or ["email"]).
 */

export const CHANNEL_LABELS = {inapp: 'In-app', push: 'Push', email: 'Email'};
export const MODE_LABELS = {silent: 'Silent', never: 'Never', often: 'Often', daily: 'Daily'};
export const MODE_HINTS = {
    silent: 'none, and no in-app notifications either, except Critical ones.',
    never: 'only for Critical notifications, at once.',
    often: 'a digest every few minutes of what you have not seen.',
    daily: 'one digest a day of what you have not seen.',
};

/** The value at `path` in `document`, or undefined. */
export function valueAt(document, path) {
    return path.reduce((node, key) => (node && typeof node === 'object' ? node[key] : undefined), document);
}

/** A copy of `document` with `value` at `path` (objects on the way are copied). */
export function changeAt(document, path, value) {
    const [key, ...rest] = path;
    const node = document && typeof document === 'object' ? document : {};
    return {...node, [key]: rest.length ? changeAt(node[key], rest, value) : value};
}

/**
 * The rows: all notifications (the channels), each category of the app, and Critical;
 * a row with a `reason` is locked (Critical, and the categories the app requires).
 */
export function rowsOf({preferences, categories, required}) {
    const rows = [
        {
            key: 'all',
            name: null,
            label: 'All notifications',
            hint: categories.length ? 'Also the default of each category below.' : null,
            path: ['channels'],
            values: preferences.channels,
        },
    ];
    categories.forEach((name, index) => {
        const locked = required.includes(name);
        rows.push({
            key: `c${index}`,
            name,
            label: name,
            reason: locked ? 'Always on: required by the app.' : null,
            path: ['categories', name],
            values: locked ? {} : (preferences.categories || {})[name] || preferences.channels,
        });
    });
    rows.push({
        key: 'critical',
        name: 'Critical',
        label: 'Critical',
        reason: 'Always on: Critical notifications always reach you (email: not when silent).',
        path: [],
        values: {email: preferences.email !== 'silent'},
    });
    return rows;
}
