/**
 * The notification history behind the center: every notification raised, whatever its
 * delivery, newest first, with its read state. Bounded (`max`), kept in localStorage so
 * that it survives a reload, and shared by the tabs of the app (storage events).
 */

import {clickFields} from '../desktop/envelope.js';

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
        ...clickFields(options),
        title: options.title,
        body: options.body || '',
        icon: options.icon || null,
        dir: options.dir || 'auto',
        lang: options.lang || '',
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
    let saving = null;
    const commit = next => {
        items = next.length > max ? next.slice(0, max) : next;
        // Written in a task of its own, once for any number of changes in a row.
        if (saving === null) {
            saving = setTimeout(() => {
                saving = null;
                save();
            }, 0);
        }
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
            // One pass, however many records: the newest record of each tag wins.
            const fresh = [];
            const tags = new Set();
            for (let i = records.length - 1; i >= 0; i--) {
                const record = records[i];
                if (record.tag === null || !tags.has(record.tag)) {
                    fresh.push(record);
                    if (record.tag !== null) {
                        tags.add(record.tag);
                    }
                }
            }
            commit([...fresh, ...items.filter(item => item.tag === null || !tags.has(item.tag))]);
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
            if (saving !== null) {
                clearTimeout(saving);
                save();
            }
            window.removeEventListener('storage', onStorage);
            listeners.clear();
        },
    };
}
