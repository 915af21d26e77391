/**
 * Which toasts are on screen: at most `limit` visible, the rest waiting in a bounded
 * queue where Critical notifications jump ahead. Pure functions over
 * {visible: [toast], queued: [toast]}; a toast is {id, tag, severity, ...}.
 */

export const EMPTY = {visible: [], queued: []};

const critical = toast => toast.severity === 'Critical';

function fill(state, limit) {
    const visible = [...state.visible];
    const queued = [...state.queued];
    while (visible.length < limit && queued.length) {
        visible.push(queued.shift());
    }
    return {visible, queued};
}

/**
 * Adds toasts. A toast whose tag is on screen or queued updates that one in place;
 * otherwise it is shown if there is room, else queued (Critical ahead of the others).
 * The queue keeps at most `maxQueued` toasts, dropping the oldest non-critical ones
 * first (they stay in the notification center).
 */
export function push(state, toasts, {limit, maxQueued}) {
    let visible = [...state.visible];
    let queued = [...state.queued];
    for (const toast of toasts) {
        const sameTag = t => t.tag === toast.tag;
        // An update keeps the toast's place and its key, so it is updated in place.
        const update = t => (sameTag(t) ? {...toast, key: t.key || t.id} : t);
        if (toast.tag !== null && visible.some(sameTag)) {
            visible = visible.map(update);
        } else if (toast.tag !== null && queued.some(sameTag)) {
            queued = queued.map(update);
        } else if (visible.length < limit) {
            visible.push(toast);
        } else if (critical(toast)) {
            const firstOrdinary = queued.findIndex(t => !critical(t));
            queued.splice(firstOrdinary === -1 ? queued.length : firstOrdinary, 0, toast);
        } else {
            queued.push(toast);
        }
    }
    if (queued.length > maxQueued) {
        // Drop the oldest ordinary toasts first, then the oldest Critical ones, in one pass.
        const excess = queued.length - maxQueued;
        let dropOrdinary = Math.min(excess, queued.filter(t => !critical(t)).length);
        let dropCritical = excess - dropOrdinary;
        queued = queued.filter(t => {
            if (!critical(t) && dropOrdinary > 0) {
                dropOrdinary -= 1;
                return false;
            }
            if (critical(t) && dropCritical > 0) {
                dropCritical -= 1;
                return false;
            }
            return true;
        });
    }
    return {visible, queued};
}

/** Removes a toast (closed, clicked or timed out) and shows the next one waiting. */
export function remove(state, id, limit) {
    return removeWhere(state, t => t.id === id, limit);
}

/** Removes the toasts, on screen or queued, for which `matches` is true. */
export function removeWhere(state, matches, limit) {
    return fill(
        {
            visible: state.visible.filter(t => !matches(t)),
            queued: state.queued.filter(t => !matches(t)),
        },
        limit
    );
}
