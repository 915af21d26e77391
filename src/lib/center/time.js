/**
 * Times in the notification center: relative ("2 min ago") for the eye, absolute for
 * hover and screen readers, and the day group ("Today", "Yesterday", "Earlier").
 */

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(timestamp, now) {
    const elapsed = Math.max(0, now - timestamp);
    if (elapsed < MINUTE) {
        return 'just now';
    }
    if (elapsed < HOUR) {
        return `${Math.floor(elapsed / MINUTE)} min ago`;
    }
    if (elapsed < DAY) {
        return `${Math.floor(elapsed / HOUR)} h ago`;
    }
    const days = Math.floor(elapsed / DAY);
    return days < 7 ? `${days} ${days === 1 ? 'day' : 'days'} ago` : new Date(timestamp).toLocaleDateString();
}

// One formatter for every item: toLocaleString builds a new one on each call.
let absolute = null;

export function absoluteTime(timestamp) {
    if (absolute === null) {
        absolute = new Intl.DateTimeFormat([], {dateStyle: 'medium', timeStyle: 'short'});
    }
    return absolute.format(timestamp);
}

const startOfDay = time => {
    const date = new Date(time);
    date.setHours(0, 0, 0, 0);
    return date.getTime();
};

export const DAY_GROUPS = ['Today', 'Yesterday', 'Earlier'];

/** "Today", "Yesterday" or "Earlier", by the local calendar day. */
export function dayGroup(timestamp, now) {
    const today = startOfDay(now);
    if (timestamp >= today) {
        return 'Today';
    }
    // the day before today, whatever its length (daylight saving)
    return timestamp >= startOfDay(today - 1) ? 'Yesterday' : 'Earlier';
}

/** Items (newest first) in their day groups, in order: [[name, items], ...], none empty. */
export function groupByDay(items, now) {
    const groups = new Map(DAY_GROUPS.map(name => [name, []]));
    for (const item of items) {
        groups.get(dayGroup(item.timestamp, now)).push(item);
    }
    return [...groups].filter(([, list]) => list.length);
}

/** Whether an item's title, body, source or category contains `query` (case-insensitive). */
export function matchesQuery(item, query) {
    const wanted = query.trim().toLowerCase();
    if (!wanted) {
        return true;
    }
    return [item.title, item.body, item.source, item.category].some(text => typeof text === 'string' && text.toLowerCase().includes(wanted));
}
