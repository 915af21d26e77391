/**
 * The browser's side of the hub: one Server-Sent Events stream to
 * `<app root>_dash_notify/events`, reconnected with exponential backoff (0.25 s doubling
 * to 10 s, with jitter) and resumed from the last event id, so that the server replays
 * exactly what was missed; plus the history and seen-state requests.
 */

const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 10000;

// In the bundle loaded at start (ids.js); this module is loaded with the hub (client.js).
export {HUB_PREFIX, hubItemId, hubMessageId} from './ids.js';

export function backoff(attempt, random = Math.random) {
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
    return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * Opens the stream; returns a function that closes it. Handlers: onHello({user, last,
 * epoch, from}, cursor) (cursor: the id this stream continues after, as the server
 * says: lower than before when the server's log started over), onNotification({id,
 * created, options, publisher}), onClose({id, created, tag}), onSeen(ids, upto) (upto:
 * every id up to it is seen, or 0), onStatus('connecting' | 'connected' |
 * 'reconnecting'). With `from`, the stream resumes after that notification id.
 */
export function connectHub(root, {onHello, onNotification, onClose, onSeen, onStatus}, from = null) {
    let source = null;
    let lastId = from;
    let epoch = null;
    let attempt = 0;
    let timer = null;
    let closed = false;

    const open = () => {
        const url = new URL('_dash_notify/events', root);
        if (lastId !== null) {
            url.searchParams.set('lastEventId', lastId);
            if (epoch !== null) {
                url.searchParams.set('epoch', epoch);
            }
        }
        source = new EventSource(url.href, {withCredentials: true});
        source.addEventListener('hello', event => {
            attempt = 0;
            const hello = JSON.parse(event.data);
            // The server says where this stream continues: the hello's event id (the
            // store's last id for a new stream; lower when its log started over: a new
            // epoch, a restored store), or none: after the id we sent. (`from` in the
            // data says the same, where a server sends it.)
            epoch = hello.epoch;
            if (typeof hello.from === 'number') {
                lastId = hello.from;
            } else if (event.lastEventId !== '') {
                lastId = Number(event.lastEventId);
            }
            onStatus('connected');
            onHello(hello, lastId);
        });
        source.addEventListener('notification', event => {
            lastId = Number(event.lastEventId);
            onNotification(JSON.parse(event.data));
        });
        // hub.close(tag): takes a message id of its own, in the same sequence.
        source.addEventListener('close', event => {
            lastId = Number(event.lastEventId);
            onClose(JSON.parse(event.data));
        });
        source.addEventListener('seen', event => {
            const {ids, upto} = JSON.parse(event.data);
            onSeen(ids, upto || 0);
        });
        source.onerror = () => {
            // EventSource's own retry would not back off: close it and retry here.
            source.close();
            if (!closed) {
                onStatus('reconnecting');
                timer = setTimeout(open, backoff(attempt));
                attempt += 1;
            }
        };
    };
    onStatus('connecting');
    open();
    return () => {
        closed = true;
        clearTimeout(timer);
        if (source) {
            source.close();
        }
    };
}

/** A request to the hub's route `path` (with the browser's cookies); resolves to its JSON. */
export async function request(root, path, init) {
    const response = await fetch(new URL(`_dash_notify/${path}`, root).href, {credentials: 'same-origin', ...init});
    const body = await response.json();
    if (!response.ok) {
        throw new Error(body.error || `HTTP ${response.status}`);
    }
    return body;
}

/**
 * The user's notifications on the server, newest first (older than id `before` if
 * given): {user, items: [{id, created, seen, options}]}.
 */
export function fetchHistory(root, limit, before = null) {
    const query = `limit=${Math.max(1, Math.min(1000, limit))}${before === null ? '' : `&before=${before}`}`;
    return request(root, `history?${query}`);
}

/** Marks notifications seen on the server (`ids`, or all when `ids` is null). */
export function postSeen(root, ids) {
    return request(root, 'seen', {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(ids === null ? {all: true} : {ids}),
    });
}

/**
 * Tells the hub that this user clicked hub notification `id` (its body: `action` null,
 * or that action), for the app's webhook rules. One request per click; the answer
 * (204) says nothing of the rules.
 */
export async function postClicked(root, id, action) {
    const response = await fetch(new URL('_dash_notify/clicked', root).href, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({id, action}),
    });
    if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw new Error(body.error || `HTTP ${response.status}`);
    }
}
