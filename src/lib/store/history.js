/**
 * The notification history behind the center: every notification raised, whatever its
 * delivery, newest first, with its read state. Bounded (`max`), kept in localStorage so
 * that it survives a reload, and shared by the tabs of the app (storage events).
 */

import {clickFields} from '../desktop/envelope.js';
import {hubMessageId} from '../hub/ids.js';

const VERSION = 1;

const EMPTY_STATE = {items: [], owner: null, hubMax: 0};

function load(key) {
    try {
        const saved = JSON.parse(window.localStorage.getItem(key));
        if (saved && saved.v === VERSION && Array.isArray(saved.items)) {
            return {items: saved.items, owner: saved.owner || null, hubMax: saved.hubMax || 0};
        }
    } catch {
        // unreadable: start empty
    }
    return EMPTY_STATE;
}

const isHubItem = item => hubMessageId(item.id) !== null;
const hubNumber = item => hubMessageId(item.id);

/** Records the store keeps of a notification: what the center shows and clicks need. */
export function toRecord(options, {id, delivery, timestamp, publisher = null}) {
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
        publisher,
        read: false,
    };
}

export function createHistory({key, max}) {
    // owner: the hub user whose notifications the "hub:" items are; hubMax: the newest
    // hub notification this browser has had, so that a sync never brings back what the
    // user dismissed or cleared.
    let {items, owner, hubMax} = load(key);
    const listeners = new Set();

    const publish = () => listeners.forEach(listener => listener(items));
    const save = () => {
        try {
            window.localStorage.setItem(key, JSON.stringify({v: VERSION, items, owner, hubMax}));
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
            ({items, owner, hubMax} = load(key));
            publish();
        }
    };
    window.addEventListener('storage', onStorage);

    function markReadMany(ids) {
        const wanted = new Set(ids);
        commit(items.map(item => (wanted.has(item.id) && !item.read ? {...item, read: true} : item)));
    }

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
            for (const record of fresh) {
                if (isHubItem(record)) {
                    hubMax = Math.max(hubMax, hubNumber(record));
                }
            }
            commit([...fresh, ...items.filter(item => item.tag === null || !tags.has(item.tag))]);
        },
        /**
         * Makes `user` the owner of the hub items: when the hub's user changed (another
         * login in this browser), the previous user's hub items are dropped.
         */
        setOwner(user) {
            if (owner !== user) {
                owner = user;
                hubMax = 0;
                commit(items.filter(item => !isHubItem(item)));
            }
        },
        /**
         * Merges the server's history (hub records, newest first): read states are taken
         * from the server; records newer than any this browser has had are added.
         */
        sync(records) {
            const byId = new Map(records.map(record => [record.id, record]));
            const known = new Set(items.map(item => item.id));
            const updated = items.map(item => {
                const server = byId.get(item.id);
                return server && server.read && !item.read ? {...item, read: true} : item;
            });
            const fresh = records.filter(record => !known.has(record.id) && hubNumber(record) > hubMax);
            for (const record of fresh) {
                hubMax = Math.max(hubMax, hubNumber(record));
            }
            const next = fresh.length ? [...fresh, ...updated].sort((a, b) => b.timestamp - a.timestamp) : updated;
            commit(next);
        },
        /** Marks several items read (seen in another browser). */
        markReadMany,
        markRead(id) {
            markReadMany([id]);
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

/**
 * A list kept for this page only, with the same subscribe/getItems interface: the hub
 * notifications older than the history keeps, fetched by the center's "Load more".
 */
export function createPageList() {
    let items = [];
    const listeners = new Set();
    return {
        getItems: () => items,
        subscribe(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
        },
        update(change) {
            items = change(items);
            listeners.forEach(listener => listener(items));
        },
    };
}
