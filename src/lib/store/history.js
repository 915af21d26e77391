/**
 * The notification history behind the center: every notification raised, whatever its
 * delivery, newest first, with its read state. Bounded (`max`), kept in localStorage so
 * that it survives a reload, and shared by the tabs of the app (storage events).
 */

const VERSION = 1;

function load(key) {
    try {
        const saved = JSON.parse(window.localStorage.getItem(key));
        return saved && saved.v === VERSION && Array.isArray(saved.items) ? saved.items : [];
    } catch {
        return [];
    }
}

/** Records the store keeps of a notification: what the center shows and clicks need. */
export function toRecord(options, {id, delivery, timestamp}) {
    return {
        id,
        title: options.title,
        body: options.body || '',
        severity: options.severity || 'None',
        type: options.type || 'Notification',
        source: options.source === undefined ? null : options.source,
        tag: options.tag === undefined ? null : options.tag,
        icon: options.icon || null,
        dir: options.dir || 'auto',
        lang: options.lang || '',
        data: options.data === undefined ? null : options.data,
        clickInterop: options.clickInterop || null,
        actions: (options.actions || []).map(({action, title, interop}) => ({
            action,
            title,
            interop: interop || null,
        })),
        inProgress: options.inProgress === true,
        progress: typeof options.progress === 'number' ? options.progress : null,
        delivery,
        timestamp,
        read: false,
    };
}

export function createHistory({key, max}) {
    let items = load(key);
    const listeners = new Set();

    const publish = () => listeners.forEach(listener => listener(items));
    const save = () => {
        try {
            window.localStorage.setItem(key, JSON.stringify({v: VERSION, items}));
        } catch {
            // Storage full or disabled: the history still works for this page.
        }
    };
    const commit = next => {
        items = next.length > max ? next.slice(0, max) : next;
        save();
        publish();
    };
    const onStorage = event => {
        if (event.key === key) {
            items = load(key);
            publish();
        }
    };
    window.addEventListener('storage', onStorage);

    return {
        getItems: () => items,
        subscribe(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
        /** Adds records (newest last in `records`); a record whose tag is known replaces it. */
        add(records) {
            let next = items;
            for (const record of records) {
                const index = record.tag === null ? -1 : next.findIndex(i => i.tag === record.tag);
                next =
                    index === -1
                        ? [record, ...next]
                        : [record, ...next.slice(0, index), ...next.slice(index + 1)];
            }
            commit(next);
        },
        markRead(id) {
            commit(items.map(item => (item.id === id && !item.read ? {...item, read: true} : item)));
        },
        markAllRead() {
            commit(items.map(item => (item.read ? item : {...item, read: true})));
        },
        dismiss(id) {
            commit(items.filter(item => item.id !== id));
        },
        clear() {
            commit([]);
        },
        setMax(nextMax) {
            max = nextMax;
            if (items.length > max) {
                commit(items);
            }
        },
        close() {
            window.removeEventListener('storage', onStorage);
            listeners.clear();
        },
    };
}
