import React, {
    useCallback,
    useEffect,
    useLayoutEffect,
    useMemo,
    useReducer,
    useRef,
    useSyncExternalStore,
} from 'react';
import PropTypes from 'prop-types';

import {readMaxActions, readPermission, watchPermission} from '../desktop/permission.js';
import {appRoot, getRegistration} from '../desktop/registration.js';
import {closeDesktop, showDesktop} from '../desktop/dispatch.js';
import {makeClick} from '../desktop/envelope.js';
import {connect, getTabId, noteHubShown, takePushes} from '../desktop/routing.js';
import {deliveryName, plan} from '../delivery.js';
import {createHistory, createPageList, toRecord} from '../store/history.js';
import {EMPTY, push, remove, removeWhere} from '../toasts/queue.js';
import Toasts from '../toasts/Toasts.react.js';
import Center from '../center/Center.react.js';
import {addStyles} from '../styles.js';
import {hubItemId, hubMessageId, hubOptions} from '../hub/ids.js';
import {randomId} from '../ids.js';
import {followLink, isAppPath} from '../links.js';
import {createEmitter} from '../events.js';
import {useDevtoolsErrors} from '../devtools.js';

// Chunks of their own, fetched when first wanted (Dash serves them: _js_dist "async"):
// the options validator at the first notification, the hub client when `hub` is on,
// the push client when `push` is (or was) on.
const loadValidator = () => import(/* webpackChunkName: "validate" */ '../options/index.js');
const loadHub = () => import(/* webpackChunkName: "hub" */ '../hub/client.js');
const loadPush = () => import(/* webpackChunkName: "push" */ '../push/client.js');

const SEVERITIES = ['Low', 'Medium', 'High', 'Critical', 'None'];
// The same modes as delivery.js (react-docgen reads only this file's constants).
const DELIVERY_MODES = ['auto', 'desktop', 'toast', 'both'];
const DELIVERIES = ['desktop', 'toast', 'both', 'center'];
const CLICK_DELIVERIES = ['desktop', 'toast', 'center', 'email'];
const NOT_SHOWN_REASONS = ['invalid', 'permission-default', 'permission-denied', 'unsupported', 'error'];
const POSITIONS = ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'];
const DEFAULT_DURATIONS = {Low: 4000, Medium: 6000, None: 6000};
const MAX_QUEUED = 100;
// How many stored hub notifications "Load more" asks for at a time.
const MORE_PAGE = 50;

function componentKey(id) {
    if (typeof id === 'string') {
        return id;
    }
    const api = window.dash_component_api;
    return api && api.stringifyId ? api.stringifyId(id) : JSON.stringify(id);
}

/** The history record of a notification from the hub's stored history. */
const hubRecord = m => ({
    ...toRecord(m.options, {
        id: hubItemId(m.id),
        delivery: null,
        timestamp: m.created * 1000,
        publisher: typeof m.publisher === 'string' ? m.publisher : null,
    }),
    read: m.seen !== null,
});

const stamp = entry => ({...entry, timestamp: Date.now(), eventId: randomId()});

// Long lists are worked through in slices of about this many milliseconds, giving the
// page back in between, so that a burst never blocks it for long.
const SLICE_MS = 8;

function nextTask() {
    return new Promise(resolve => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
    });
}

/**
 * Dispatches a raised list, one notification after the other, in time slices; waits
 * only for the ones that return a promise (desktop notifications).
 */
async function dispatchAll(list, isList, dispatchOne) {
    const results = [];
    let sliceStart = performance.now();
    for (let index = 0; index < list.length; index++) {
        const result = dispatchOne(list[index], isList ? index : null);
        results.push(result instanceof Promise ? await result : result);
        if (performance.now() - sliceStart > SLICE_MS) {
            await nextTask();
            sliceStart = performance.now();
        }
    }
    return results;
}

function toastsReducer(state, {type, toasts, id, matches, limit}) {
    if (type === 'push') {
        return push(state, toasts, {limit, maxQueued: MAX_QUEUED});
    }
    return type === 'close' ? removeWhere(state, matches, limit) : remove(state, id, limit);
}

// A desktop notification is looked for in the browser's list only this long after the
// last one shown (see closeDesktop), and looked for again after as long when missing.
const DESKTOP_SETTLE_MS = 1000;
const CLOSE_ATTEMPTS = 4;
// How many shown desktop notifications are remembered for closing them later.
const MAX_REMEMBERED = 1000;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A test for notifications ({id, tag}) named by close targets ([{id} or {tag}]). */
export function closeMatcher(targets) {
    const ids = new Set(targets.filter(t => typeof t.id === 'string').map(t => t.id));
    const tags = new Set(targets.filter(t => typeof t.tag === 'string').map(t => t.tag));
    return item => ids.has(item.id) || (item.tag !== null && tags.has(item.tag));
}

/** The close targets in a value set on `close`, and a message for each bad entry. */
function readCloseTargets(value) {
    const list = Array.isArray(value) ? value : [value];
    const targets = [];
    const problems = [];
    list.forEach((entry, index) => {
        const keys = entry && typeof entry === 'object' ? Object.keys(entry) : [];
        const key = keys.length === 1 ? keys[0] : null;
        if ((key === 'id' || key === 'tag') && typeof entry[key] === 'string' && entry[key]) {
            targets.push(entry);
        } else {
            problems.push(
                `dash_notify: close${Array.isArray(value) ? `[${index}]` : ''} must be {"id": str} or {"tag": str}, got ${JSON.stringify(entry)}`
            );
        }
    });
    return {targets, problems};
}

/**
 * Shows notifications raised from Dash callbacks: real desktop notifications through a
 * service worker, in-page toasts when those are denied or unsupported (see `delivery`),
 * and a notification center that keeps every notification of the session. Clicks on the
 * body or an action button of any of them come back to Dash callbacks as `clickData`.
 * Set `raise` from a callback, or call `dash_notify.notify(id, options)`.
 */
export default function Notifications({
    id,
    setProps,
    raise = null,
    delivery = 'auto',
    position = 'bottom-right',
    stacked = false,
    maxVisible = 3,
    durations = DEFAULT_DURATIONS,
    theme = 'light',
    center = false,
    maxHistory = 500,
    hotkey = 'Alt+T',
    markAllRead = false,
    clearAll = false,
    hub = false,
    push = false,
    preferences = false,
    close = null,
    permission = 'default',
    className = undefined,
    style = undefined,
}) {
    const key = componentKey(id);
    // setProps may change between renders; events that arrive later use the latest.
    const setPropsRef = useRef(setProps);
    useLayoutEffect(() => {
        setPropsRef.current = setProps;
    });
    // Event props are spaced out so that Dash callbacks never miss a list (events.js).
    const emitter = useRef(null);
    const emit = useCallback(props => {
        if (emitter.current === null) {
            emitter.current = createEmitter(latest => setPropsRef.current(latest));
        }
        emitter.current(props);
    }, []);
    const reportToDevtools = useDevtoolsErrors();
    // tag -> id of the desktop notification this component last showed with that tag, so
    // that a replacement by tag can be reported in closedData.
    const shownTags = useRef(new Map());
    // id -> tag of the desktop notifications this component showed and did not see
    // close, and when its last show settled (closeDesktop must not read the list sooner).
    const desktopShown = useRef(new Map());
    const desktopShows = useRef({pending: 0, settled: 0});
    // Deliveries under way: a close waits for them, so it also closes what they show.
    const inFlight = useRef(new Set());
    // The settings that asynchronous work reads when it runs.
    const settings = useRef({delivery, maxVisible});
    useLayoutEffect(() => {
        settings.current = {delivery, maxVisible};
    });

    const history = useMemo(
        () => createHistory({key: `dash_notify:${appRoot()}:${key}`, max: maxHistory}),
        // maxHistory is applied below without losing the history.
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [key]
    );
    useEffect(() => () => history.close(), [history]);
    useEffect(() => history.setMax(maxHistory), [history, maxHistory]);
    const maxHistoryRef = useRef(maxHistory);
    useLayoutEffect(() => {
        maxHistoryRef.current = maxHistory;
    });
    const items = useSyncExternalStore(history.subscribe, history.getItems);

    // Read state of hub notifications is the user's, on the server: marking one read
    // here marks it read in every browser of theirs.
    const hubOn = useRef(hub);
    useLayoutEffect(() => {
        hubOn.current = hub;
    });
    // ids: hub message ids, or null for all of the user's.
    const tellHubSeen = useCallback(ids => {
        if (hubOn.current) {
            loadHub()
                .then(client => client.postSeen(appRoot(), ids))
                .catch(error => console.warn(`dash_notify: hub: ${error.message}`));
        }
    }, []);
    // A click on a hub notification (any delivery) goes to the hub once, as this
    // user, for the app's webhook rules (`notification.clicked`).
    const tellHubClicked = useCallback((itemId, action) => {
        const messageId = hubMessageId(itemId);
        if (hubOn.current && messageId !== null) {
            loadHub()
                .then(client => client.postClicked(appRoot(), messageId, action || null))
                .catch(error => console.warn(`dash_notify: hub click: ${error.message}`));
        }
    }, []);
    // Hub notifications older than the history keeps, fetched by the center's "Load
    // more" for this page only; and whether the server may have more.
    const olderList = useMemo(() => createPageList(), []);
    const older = useSyncExternalStore(olderList.subscribe, olderList.getItems);
    const [more, setMore] = useReducer((_, next) => next, 'some');
    const markRead = useCallback(
        itemId => {
            history.markRead(itemId);
            olderList.update(list => list.map(item => (item.id === itemId && !item.read ? {...item, read: true} : item)));
            const messageId = hubMessageId(itemId);
            if (messageId !== null) {
                tellHubSeen([messageId]);
            }
        },
        [history, olderList, tellHubSeen]
    );
    const markAllReadEverywhere = useCallback(() => {
        history.markAllRead();
        olderList.update(list => list.map(item => (item.read ? item : {...item, read: true})));
        tellHubSeen(null);
    }, [history, olderList, tellHubSeen]);
    const [toasts, dispatchToasts] = useReducer(toastsReducer, EMPTY);
    const toastsRef = useRef(toasts);
    useLayoutEffect(() => {
        toastsRef.current = toasts;
    });

    useEffect(addStyles, []);

    // Permission and the browser's action limit, kept current.
    useEffect(() => {
        const update = current => emit({permission: current, maxActions: readMaxActions()});
        update(readPermission());
        return watchPermission(update);
    }, [emit]);

    // The counts Dash callbacks can read.
    const unreadCount = items.filter(item => !item.read).length;
    useEffect(() => {
        emit({count: items.length, unreadCount});
    }, [emit, items.length, unreadCount]);

    // Writable triggers.
    useEffect(() => {
        if (markAllRead) {
            markAllReadEverywhere();
            emit({markAllRead: false});
        }
    }, [markAllRead, markAllReadEverywhere, emit]);
    useEffect(() => {
        if (clearAll) {
            history.clear();
            olderList.update(() => []);
            emit({clearAll: false});
        }
    }, [clearAll, history, olderList, emit]);

    // Clicks and closes of desktop notifications, routed here by the service worker.
    useEffect(() => {
        if (readPermission() === 'unsupported') {
            return undefined;
        }
        return connect(key, ({click, closed}) => {
            const props = {};
            if (click) {
                props.clickData = click;
                markRead(click.id);
                tellHubClicked(click.id, click.action);
            }
            // A path of the app is followed here; the service worker opened an http(s) URL.
            if (click && click.action === null && click.url && isAppPath(click.url)) {
                followLink(click.url);
            }
            if (closed) {
                desktopShown.current.delete(closed.id);
                props.closedData = [{...closed, eventId: randomId()}];
                if (closed.tag !== null && shownTags.current.get(closed.tag) === closed.id) {
                    shownTags.current.delete(closed.tag);
                }
            }
            emit(props);
        });
    }, [key, emit, markRead, tellHubClicked]);

    // A click on a toast or a center item: the same clickData as a desktop click.
    const clickItem = useCallback(
        (item, action, where) => {
            const props = {clickData: makeClick(item, action, where, randomId())};
            if (where === 'toast') {
                dispatchToasts({type: 'remove', id: item.id, limit: settings.current.maxVisible});
                props.closedData = [stamp({id: item.id, tag: item.tag, reason: 'clicked', delivery: 'toast'})];
            }
            // A mail's link: the hub marked it seen and counted the click already.
            if (where === 'email') {
                history.markRead(item.id);
            } else {
                markRead(item.id);
                tellHubClicked(item.id, action);
            }
            emit(props);
            if (!action && item.link && (where !== 'email' || isAppPath(item.link))) {
                followLink(item.link);
            }
        },
        [emit, history, markRead, tellHubClicked]
    );

    const closeToast = useCallback(
        (item, reason) => {
            dispatchToasts({type: 'remove', id: item.id, limit: settings.current.maxVisible});
            if (reason === 'dismissed') {
                markRead(item.id);
            }
            emit({closedData: [stamp({id: item.id, tag: item.tag, reason, delivery: 'toast'})]});
        },
        [emit, markRead]
    );

    // Delivers one notification: its entries for the event props and, when it is valid,
    // its history record and whether it needs a toast; a promise of them when it goes to
    // the desktop (a toast or the center alone is handled without waiting).
    const dispatchOne = useCallback(
        (options, index, givenId, publisher, {permission, validateOptions}) => {
            const notificationId = givenId || randomId();
            const tag = options && typeof options.tag === 'string' ? options.tag : null;
            const shown = (via, reason) => ({id: notificationId, index, tag, delivery: via, reason});
            const failure = (message, errors) => {
                reportToDevtools(message);
                return {id: notificationId, index, field: errors.length ? errors[0].field : null, message, errors};
            };

            const errors = validateOptions(options);
            if (errors.length) {
                const where = index === null ? '' : ` (raise[${index}])`;
                const message = `dash_notify: invalid notification options${where}: ${errors
                    .map(e => e.message)
                    .join('; ')}`;
                return {shown: shown(null, 'invalid'), closed: [], error: failure(message, errors)};
            }
            const route = plan(settings.current.delivery, options, permission);
            const finish = (closed, error) => {
                const via = deliveryName(route, options);
                if (via === null && route.reason) {
                    console.warn(`dash_notify: notification "${options.title}" not shown (${route.reason})`);
                }
                const record = toRecord(options, {id: notificationId, delivery: via, timestamp: Date.now(), publisher});
                return {
                    shown: shown(via, via === null ? route.reason || 'error' : null),
                    closed,
                    error,
                    record,
                    toast: route.toast,
                };
            };
            if (!route.desktop) {
                return finish([], null);
            }
            const showOnDesktop = async () => {
                const closed = [];
                const shows = desktopShows.current;
                shows.pending += 1;
                try {
                    await showDesktop(await getRegistration(), options, {
                        id: notificationId,
                        componentId: key,
                        tabId: getTabId(),
                        appRoot: appRoot(),
                        url: window.location.href,
                        publisher,
                    });
                    const replaced = tag === null ? undefined : shownTags.current.get(tag);
                    if (replaced) {
                        closed.push({id: replaced, tag, reason: 'replaced', delivery: 'desktop'});
                        desktopShown.current.delete(replaced);
                    }
                    if (tag !== null) {
                        shownTags.current.set(tag, notificationId);
                    }
                    const remembered = desktopShown.current;
                    remembered.set(notificationId, tag);
                    if (remembered.size > MAX_REMEMBERED) {
                        remembered.delete(remembered.keys().next().value);
                    }
                    return finish(closed, null);
                } catch (cause) {
                    const message = `dash_notify: notification "${options.title}" could not be shown on the desktop: ${cause.message}`;
                    route.desktop = false;
                    // In "auto" the toast takes over; elsewhere the failure is the answer.
                    route.toast = route.toast || settings.current.delivery === 'auto';
                    return finish(closed, failure(message, []));
                } finally {
                    shows.pending -= 1;
                    shows.settled = performance.now();
                }
            };
            return showOnDesktop();
        },
        [key, reportToDevtools]
    );

    // Delivers a list of options (from `raise` or the hub) and reports its events
    // together: one update of each event prop, of the history and of the toasts,
    // however long the list. `ids` gives notification ids (hub notifications keep theirs)
    // and `publishers` who published each (hub notifications).
    const deliverNow = useCallback(
        async (list, isList, ids = null, publishers = null) => {
            // Read once per list: Notification.permission costs a synchronous call to the
            // browser process (about 0.5 ms in Chromium), too much to pay per notification.
            // The validator's chunk is fetched with the first notification of the page.
            const context = {permission: readPermission(), validateOptions: (await loadValidator()).validateOptions};
            const results = await dispatchAll(list, isList, (options, index) =>
                dispatchOne(
                    options,
                    index,
                    ids ? ids[index === null ? 0 : index] : null,
                    publishers ? publishers[index === null ? 0 : index] : null,
                    context
                )
            );
            const records = results.filter(r => r.record).map(r => r.record);
            if (records.length) {
                history.add(records);
            }
            const toastRecords = results.filter(r => r.toast).map(r => r.record);
            if (toastRecords.length) {
                dispatchToasts({type: 'push', toasts: toastRecords, limit: settings.current.maxVisible});
            }
            const props = {shownData: results.map(r => stamp(r.shown))};
            const closed = results.flatMap(r => r.closed);
            const errors = results.map(r => r.error).filter(Boolean);
            if (closed.length) {
                props.closedData = closed.map(stamp);
            }
            if (errors.length) {
                props.errorData = errors.map(stamp);
            }
            emit(props);
        },
        [emit, dispatchOne, history]
    );
    // Deliveries run one after the other, so that their events are reported in the order
    // the notifications came (the first one may wait for the validator's chunk).
    const queue = useRef(Promise.resolve());
    const deliver = useCallback(
        (list, isList, ids = null, publishers = null) => {
            const work = queue.current.then(() => deliverNow(list, isList, ids, publishers));
            queue.current = work.catch(() => {});
            inFlight.current.add(work);
            work.finally(() => inFlight.current.delete(work));
            return work;
        },
        [deliverNow]
    );

    // Closes the toasts and the desktop notifications named by `targets` ([{id} or
    // {tag}]), once the deliveries under way are done; reports each in closedData with
    // reason "closed". They stay in the notification center.
    const closeWhere = useCallback(
        async targets => {
            await Promise.allSettled([...inFlight.current]);
            const matches = closeMatcher(targets);
            const {visible, queued} = toastsRef.current;
            const toastsClosed = [...visible, ...queued].filter(matches);
            if (toastsClosed.length) {
                dispatchToasts({type: 'close', matches, limit: settings.current.maxVisible});
                emit({
                    closedData: toastsClosed.map(item =>
                        stamp({id: item.id, tag: item.tag, reason: 'closed', delivery: 'toast'})
                    ),
                });
            }
            // The desktop list is read only for notifications this component showed, and
            // only once its shows have settled: Chromium drops notifications not yet on
            // screen from getNotifications() (see showDesktop).
            const expected = () =>
                [...desktopShown.current].filter(([id, tag]) => matches({id, tag})).map(([id]) => id);
            const reported = new Set();
            for (let attempt = 0; attempt < CLOSE_ATTEMPTS && expected().length; attempt++) {
                const shows = desktopShows.current;
                while (shows.pending > 0 || performance.now() - shows.settled < DESKTOP_SETTLE_MS) {
                    await sleep(Math.max(50, DESKTOP_SETTLE_MS - (performance.now() - shows.settled)));
                }
                let closed = [];
                try {
                    closed = await closeDesktop(await getRegistration(), key, matches);
                } catch (cause) {
                    console.warn(`dash_notify: closing desktop notifications: ${cause.message}`);
                    return;
                }
                const fresh = closed.filter(envelope => !reported.has(envelope.id));
                for (const envelope of fresh) {
                    reported.add(envelope.id);
                    desktopShown.current.delete(envelope.id);
                    if (envelope.tag !== null && shownTags.current.get(envelope.tag) === envelope.id) {
                        shownTags.current.delete(envelope.tag);
                    }
                }
                if (fresh.length) {
                    emit({
                        closedData: fresh.map(envelope =>
                            stamp({id: envelope.id, tag: envelope.tag, reason: 'closed', delivery: 'desktop'})
                        ),
                    });
                }
                if (expected().length) {
                    await sleep(DESKTOP_SETTLE_MS);
                }
            }
            // Still not listed: closed by the person or the system meanwhile.
            for (const id of expected()) {
                desktopShown.current.delete(id);
            }
        },
        [emit, key]
    );


    // Each value set on `raise` is shown once, then `raise` is cleared, so a re-mount or
    // a page navigation never shows it again, and the same dict raised twice shows twice.
    useLayoutEffect(() => {
        if (raise === null || raise === undefined) {
            return;
        }
        // A mark in the browser's performance timeline (DevTools, and bench/).
        performance.mark('dash_notify:raise');
        emit({raise: null});
        deliver(Array.isArray(raise) ? raise : [raise], Array.isArray(raise));
    }, [raise, emit, deliver]);

    // Each value set on `close` closes what it names once, then `close` is cleared;
    // after `raise` (declared after it), so a response that raises and closes closes it.
    useLayoutEffect(() => {
        if (close === null || close === undefined) {
            return;
        }
        emit({close: null});
        const {targets, problems} = readCloseTargets(close);
        problems.forEach(reportToDevtools);
        if (targets.length) {
            closeWhere(targets);
        }
    }, [close, emit, closeWhere, reportToDevtools]);

    // Notifications published through the hub, shown exactly as if a callback had
    // raised them; the ones arriving in the same task are delivered as one list.
    useEffect(() => {
        if (!hub) {
            emit({hubStatus: 'off'});
            return undefined;
        }
        let pending = [];
        let flushing = null;
        const flush = () => {
            flushing = null;
            const batch = pending;
            pending = [];
            deliver(
                batch.map(hubOptions),
                batch.length > 1,
                batch.map(m => hubItemId(m.id)),
                batch.map(m => (typeof m.publisher === 'string' ? m.publisher : null))
            );
        };
        const syncHistory = () =>
            loadHub()
                .then(client => client.fetchHistory(appRoot(), maxHistoryRef.current))
                .then(({items: serverItems}) =>
                    history.sync(
                        serverItems.map(hubRecord)
                    )
                )
                .catch(error => console.warn(`dash_notify: hub history: ${error.message}`));
        let stop = null;
        let ended = false;
        const start = client => {
            if (!ended) {
                stop = client.shareHub(appRoot(), handlers);
                // Opened from a notification mail's link (?dash_notify_email=<id>).
                client.openEmailed(appRoot(), history.getItems(), hubRecord, hubItemId, item =>
                    clickItem(item, null, 'email')
                );
            }
        };
        const handlers = {
            onHello: ({user}) => {
                history.setOwner(user);
                syncHistory();
            },
            onNotification: message => {
                performance.mark('dash_notify:hub');
                noteHubShown(message.id);
                pending.push(message);
                if (flushing === null) {
                    flushing = setTimeout(flush, 0);
                }
            },
            // hub.close(tag): after the notifications that came before it.
            onClose: ({tag}) => {
                if (flushing !== null) {
                    clearTimeout(flushing);
                    flush();
                }
                closeWhere([{tag}]);
            },
            onSeen: (ids, upto) => {
                const marked = ids.map(hubItemId);
                if (upto) {
                    // "All read" in another browser: every hub item up to that id.
                    for (const item of history.getItems()) {
                        const id = hubMessageId(item.id);
                        if (id !== null && id <= upto) {
                            marked.push(item.id);
                        }
                    }
                }
                history.markReadMany(marked);
            },
            onStatus: status => emit({hubStatus: status}),
        };
        emit({hubStatus: 'connecting'});
        loadHub()
            .then(start)
            .catch(error => console.error(`dash_notify: the hub client could not be loaded: ${error.message}`));
        return () => {
            ended = true;
            if (stop) {
                stop();
            }
        };
    }, [hub, emit, deliver, closeWhere, history, clickItem]);

    // Web Push: the browser's subscription follows `push` and the permission (push.js);
    // clicks on pushed notifications come to this component.
    const pushWas = useRef(false);
    useEffect(() => {
        takePushes(key, push);
        if (!push && !pushWas.current) {
            emit({pushState: 'off'});
            return undefined;
        }
        pushWas.current = push;
        let live = true;
        const report = state => live && emit({pushState: state});
        loadPush()
            // read here: the permission prop says "default" until its first report
            .then(client => client.follow(push, readPermission(), appRoot(), report))
            .catch(error => {
                console.warn(`dash_notify: push: ${error.message}`);
                report('error');
            });
        return () => {
            live = false;
        };
    }, [key, push, permission, emit]);

    const centerItems = useMemo(() => {
        if (!older.length) {
            return items;
        }
        const known = new Set(items.map(item => item.id));
        return [...items, ...older.filter(item => !known.has(item.id))];
    }, [items, older]);
    const loadMore = useCallback(() => {
        const hubIds = [...history.getItems(), ...olderList.getItems()]
            .map(item => hubMessageId(item.id))
            .filter(id => id !== null);
        setMore('loading');
        loadHub()
            .then(client => client.fetchHistory(appRoot(), MORE_PAGE, hubIds.length ? Math.min(...hubIds) : null))
            .then(({items: serverItems}) => {
                const records = serverItems.map(hubRecord);
                olderList.update(list => [...list, ...records]);
                setMore(serverItems.length < MORE_PAGE ? 'none' : 'some');
            })
            .catch(error => {
                console.warn(`dash_notify: hub history: ${error.message}`);
                setMore('some');
            });
    }, [history, olderList]);

    const durationOf = useCallback(
        item => {
            if (item.inProgress || item.severity === 'High' || item.severity === 'Critical') {
                return null;
            }
            const ms = {...DEFAULT_DURATIONS, ...durations}[item.severity];
            return typeof ms === 'number' && ms > 0 ? ms : null;
        },
        [durations]
    );

    // Handlers that keep their identity across renders, so that the toasts and the
    // center's items (memoized) render again only when their own item changes.
    const clickToast = useCallback((item, action) => clickItem(item, action, 'toast'), [clickItem]);
    const clickCenterItem = useCallback((item, action) => clickItem(item, action, 'center'), [clickItem]);
    const markItemRead = useCallback(item => markRead(item.id), [markRead]);
    const dismissItem = useCallback(
        item => {
            history.dismiss(item.id);
            olderList.update(list => list.filter(entry => entry.id !== item.id));
        },
        [history, olderList]
    );
    const clearHistory = useCallback(() => {
        history.clear();
        olderList.update(() => []);
    }, [history, olderList]);

    return (
        <div
            id={typeof id === 'string' ? id : undefined}
            className={`dn-root${className ? ` ${className}` : ''}`}
            style={style}
            data-theme={theme}
            data-permission={permission}
        >
            {center ? (
                <Center
                    items={centerItems}
                    more={more}
                    onLoadMore={hub ? loadMore : null}
                    preferences={hub && preferences}
                    onClick={clickCenterItem}
                    onMarkRead={markItemRead}
                    onDismiss={dismissItem}
                    onMarkAllRead={markAllReadEverywhere}
                    onClear={clearHistory}
                />
            ) : null}
            <Toasts
                visible={toasts.visible}
                position={position}
                stacked={stacked}
                hotkey={hotkey}
                durationOf={durationOf}
                onClick={clickToast}
                onClose={closeToast}
            />
        </div>
    );
}

Notifications.propTypes = {
    /** The ID used to identify this component in Dash callbacks. */
    id: PropTypes.oneOfType([PropTypes.string, PropTypes.object]),

    /**
     * Writable: the notification to show (a dict of options), or a list of them. Each
     * value set is shown once, then the prop is cleared to None. Options:
     *
     * - title (string, required): the title, 1 to 500 characters.
     * - body (string): the main text, up to 5000 characters.
     * - severity ("Low" | "Medium" | "High" | "Critical" | "None"): urgency. "Critical"
     *   stays until the user acts and is never silent; "High" stays until the user acts
     *   unless requireInteraction is False; "Low" is silent unless silent is False.
     * - type ("Notification" | "Alert"): a general notification or an alert.
     * - source (string): the name of the notification's source.
     * - category (string): what it is about, such as "comment", "deploy" or "billing":
     *   1 to 64 of a-z, 0-9, ".", "_" and "-", starting with a letter or a digit.
     *   Shown in toasts and the center (whose Category filter lists the categories
     *   present) and filterable by webhook rules.
     * - owner (string): what it is about, such as "invoice:42": 1 to 128 of A-Z, a-z,
     *   0-9, ".", "_", "-", ":", "/" and "#", starting with a letter or a digit. Used
     *   by the hub's email channel (a user is not mailed twice about the same owner
     *   while the first mail's notification is unseen); nothing changes on screen.
     * - clickInterop (dict): the interop method called when the body is clicked:
     *   {method (string, required), arguments (any JSON), target (string, dict or list)}.
     * - url (string): opened by a click on the body (the click still arrives in
     *   clickData): a path of the app (starting with one "/", as a dcc.Link href; use
     *   dash.get_relative_path under a path prefix) navigates inside the app without a
     *   reload (Dash Pages, dcc.Location); an http(s) URL opens in a new tab (noopener).
     *   Other schemes, "//host" and backslashes are refused.
     * - actions (list of at most 2 dicts): action buttons, each {action (string id,
     *   required), title (string label, required), icon (URL), interop (as clickInterop)}.
     * - icon, badge, image (string URLs): relative, http(s), blob: or data:image/ (not
     *   javascript: or data:image/svg).
     * - tag (string): a notification with the same tag as a shown one replaces it.
     * - data (any JSON): returned in clickData.
     * - requireInteraction (bool): keep the notification until the user acts.
     * - silent (bool): no sound or vibration (not together with vibrate).
     * - renotify (bool): alert again when replacing a notification with the same tag
     *   (needs a tag).
     * - timestamp (number): the time the notification refers to, in ms since the epoch.
     * - dir ("auto" | "ltr" | "rtl"): text direction.
     * - lang (string): language tag of the text, such as "en-GB".
     * - vibrate (int or list of ints): vibration pattern in milliseconds.
     * - showToast (bool): False sends it to the notification center only, with no toast
     *   and no desktop popup.
     * - inProgress (bool): a task under way; its toast stays, with a progress bar, until
     *   a notification with the same tag ends it.
     * - progress (number from 0 to 1): how far the task is (with inProgress).
     *
     * Options are checked against dash_notify/options.schema.json, as
     * dash_notify.notification() checks them in Python. Invalid options are shown
     * nowhere: they are reported in errorData, the browser console and Dash's dev tools,
     * and valid ones in the same list are still shown.
     */
    raise: PropTypes.oneOfType([PropTypes.object, PropTypes.arrayOf(PropTypes.object)]),

    /**
     * Writable: closes notifications on screen: {"tag": str} closes the toasts and
     * desktop notifications with that tag, {"id": str} the one with that id (the id in
     * shownData; "hub:<n>" for hub notifications); a list closes several. Each value set
     * is acted on once, then the prop is cleared to None. What closes is reported in
     * closedData with reason "closed"; it stays in the notification center. Or call
     * `dash_notify.close(id, tag=...)` from any callback; the hub's `hub.close(tag, to=...)`
     * does the same in every browser of its recipients.
     */
    close: PropTypes.oneOfType([
        PropTypes.exact({
            /** Close the notifications with this tag. */
            tag: PropTypes.string,
            /** Close the notification with this id. */
            id: PropTypes.string,
        }),
        PropTypes.arrayOf(
            PropTypes.exact({
                /** Close the notifications with this tag. */
                tag: PropTypes.string,
                /** Close the notification with this id. */
                id: PropTypes.string,
            })
        ),
    ]),

    /**
     * How notifications are delivered: "auto" (a desktop notification when permission is
     * granted and the browser supports it, an in-page toast otherwise), "desktop" (desktop
     * only), "toast" (in-page toast only) or "both". Every notification also goes to the
     * notification center's history.
     */
    delivery: PropTypes.oneOf(DELIVERY_MODES),

    /**
     * Where the toasts appear. At the bottom, they keep clear of Dash's dev tools bar
     * in debug mode.
     */
    position: PropTypes.oneOf(POSITIONS),

    /**
     * Stack the toasts: the newest in front and the others tucked behind it, spreading
     * out while the pointer or the keyboard focus is on them (the hotkey too).
     */
    stacked: PropTypes.bool,

    /**
     * How many toasts are on screen at once; the others wait in a queue (at most 100,
     * Critical ones first) and all are kept in the notification center.
     */
    maxVisible: PropTypes.number,

    /**
     * How long toasts stay, in milliseconds, by severity: Low, Medium and None close by
     * themselves (defaults 4000, 6000 and 6000; 0 keeps them); High, Critical and
     * in-progress toasts stay until dismissed. Auto-close pauses while the pointer or
     * the keyboard focus is on the toasts, the window is in the background or the tab
     * is hidden.
     */
    durations: PropTypes.exact({
        /** Milliseconds for Low. */
        Low: PropTypes.number,
        /** Milliseconds for Medium. */
        Medium: PropTypes.number,
        /** Milliseconds for None. */
        None: PropTypes.number,
    }),

    /**
     * Subscribe to the app's notification hub (dash_notify.Hub): notifications published
     * to this user (or their groups, or everyone) arrive live over Server-Sent Events and
     * are shown exactly as if a callback had raised them; the notification center also
     * shows the user's stored history, and marking one read marks it read in all of the
     * user's browsers. Each click on a hub notification (desktop, toast or center) is
     * reported to the hub once, as this user, for its webhook rules
     * (notification.clicked). Needs a Hub attached to the app.
     */
    hub: PropTypes.bool,

    /**
     * Read-only: the hub connection: "off" (hub is False), "connecting", "connected" or
     * "reconnecting" (after a drop; it retries with backoff and then receives exactly
     * what it missed).
     */
    hubStatus: PropTypes.oneOf(['off', 'connecting', 'connected', 'reconnecting']),

    /**
     * Web Push (needs a Hub with a PushChannel): once notification permission is granted
     * (from a user gesture, e.g. PermissionButton), subscribe this browser with the app's
     * public key and store the subscription on the hub for this user (an anonymous
     * browser: its cookie identity), so that hub notifications reach it while no tab of
     * the app is open. Clicks on pushed notifications arrive in clickData here (the app
     * is opened when no tab is). Set back to False: the browser unsubscribes, here and
     * on the hub.
     */
    push: PropTypes.bool,

    /**
     * Show a settings button in the notification center (with `center` and `hub`): it
     * opens the user's delivery preferences from the hub (Hub(..., preferences=...)), a
     * switch per channel (in-app, push, email) for all notifications and for each
     * category, and the email mode. Changes are saved to the hub at once, for all of the
     * user's browsers. Critical notifications and required categories are shown locked.
     */
    preferences: PropTypes.bool,

    /**
     * Read-only: the push subscription: "off" (push is False), "unsupported" (no Push
     * API here), "waiting" (for notification permission), "denied" (permission denied),
     * "subscribing", "subscribed" (stored on the hub) or "error" (the key route, the
     * browser's push service or the hub failed; see the browser console).
     */
    pushState: PropTypes.oneOf(['off', 'unsupported', 'waiting', 'denied', 'subscribing', 'subscribed', 'error']),

    /** Colours of the toasts and the center: "light", "dark" or "system" (the OS setting). */
    theme: PropTypes.oneOf(['light', 'dark', 'system']),

    /**
     * Show the notification center here: a bell with the unread count (9+ past nine)
     * that opens a panel listing every notification of the session, newest first.
     */
    center: PropTypes.bool,

    /**
     * How many notifications the history keeps (newest first). It is stored in the
     * browser (localStorage), survives a reload and is shared by the app's tabs.
     */
    maxHistory: PropTypes.number,

    /** The keyboard shortcut that moves focus to the toasts (Escape returns it). */
    hotkey: PropTypes.string,

    /** Writable: set to True to mark every notification in the history read. */
    markAllRead: PropTypes.bool,

    /** Writable: set to True to clear the history. */
    clearAll: PropTypes.bool,

    /** Read-only: how many notifications the history holds. */
    count: PropTypes.number,

    /** Read-only: how many of them are unread. */
    unreadCount: PropTypes.number,

    /**
     * Read-only: the permission for desktop notifications, kept current. "unsupported"
     * where the browser has no Notification API or service workers, or the page is not
     * a secure context (https or localhost).
     */
    permission: PropTypes.oneOf(['default', 'granted', 'denied', 'unsupported']),

    /** Read-only: how many action buttons the browser shows (2 in Chromium, 0 if unsupported). */
    maxActions: PropTypes.number,

    /**
     * Read-only: set on every click of a notification's body or of one of its actions.
     * Two identical clicks are two events (eventId differs).
     */
    clickData: PropTypes.exact({
        /** The notification's id (the same as in shownData). */
        id: PropTypes.string,
        /** The clicked action's id; None for a click on the body. */
        action: PropTypes.string,
        /** The clicked part's interop setting ({method, arguments, target}), or None. */
        interop: PropTypes.object,
        /** The notification's tag, or None. */
        tag: PropTypes.string,
        /** The notification's data, or None. */
        data: PropTypes.any,
        /** The notification's severity ("None" if it had none). */
        severity: PropTypes.oneOf(SEVERITIES),
        /** The notification's type ("Notification" if it had none). */
        type: PropTypes.oneOf(['Notification', 'Alert']),
        /** The notification's source, or None. */
        source: PropTypes.string,
        /** The notification's category, or None. */
        category: PropTypes.string,
        /** The notification's url option, or None (it is opened for a click on the body). */
        url: PropTypes.string,
        /**
         * Who published it, for hub notifications: "python" (Hub.publish) or
         * "token:<name>" (over HTTP with that token); None for notifications raised
         * in this app's callbacks.
         */
        publisher: PropTypes.string,
        /**
         * Where it was clicked: "desktop", "toast", "center", or "email" (a hub
         * notification's link in a mail, which opened the app: see the hub's email
         * channel).
         */
        delivery: PropTypes.oneOf(CLICK_DELIVERIES),
        /** When it was clicked, in milliseconds since the epoch. */
        timestamp: PropTypes.number,
        /** A unique id of this click. */
        eventId: PropTypes.string,
    }),

    /**
     * Read-only: how each notification raised was delivered, or why it was not shown.
     * Set once for each value given to `raise`, with one entry per notification in it
     * (a single dict gives a list of one).
     */
    shownData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id (the same as in clickData and closedData). */
            id: PropTypes.string,
            /** Its position in a raised list, or None for a single dict. */
            index: PropTypes.number,
            /** Its tag, or None. */
            tag: PropTypes.string,
            /**
             * "desktop", "toast", "both", "center" (showToast False: the center only), or
             * None when it was not shown.
             */
            delivery: PropTypes.oneOf(DELIVERIES),
            /**
             * Why it was not shown, or None: "invalid" (see errorData),
             * "permission-default" (the person has not decided yet), "permission-denied",
             * "unsupported" or "error" (the browser refused it; see errorData).
             */
            reason: PropTypes.oneOf(NOT_SHOWN_REASONS),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /**
     * Read-only: notifications that closed, one entry for each delivery that closed. Set
     * for each close the browser reports, with a raise for the notifications its tags
     * replaced, and for each close asked for (`close`).
     */
    closedData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id. */
            id: PropTypes.string,
            /** Its tag, or None. */
            tag: PropTypes.string,
            /**
             * "clicked" (body or action), "dismissed" (closed by the user), "replaced" (a
             * desktop notification with the same tag took its place), "expired" (a toast
             * that closed by itself) or "closed" (by `close`, `dash_notify.close` or the
             * hub's `hub.close`).
             */
            reason: PropTypes.oneOf(['clicked', 'dismissed', 'replaced', 'expired', 'closed']),
            /** Which of its deliveries closed: "desktop" or "toast". */
            delivery: PropTypes.oneOf(['desktop', 'toast']),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /**
     * Read-only: notifications of a raise that were invalid or that the browser refused,
     * one entry each. The same message goes to the browser console and, in debug mode,
     * to Dash's dev tools; the other notifications of the raise are still shown.
     */
    errorData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id (as in shownData). */
            id: PropTypes.string,
            /** Its position in a raised list, or None for a single dict. */
            index: PropTypes.number,
            /** The first bad field, such as "actions[0].title", or None. */
            field: PropTypes.string,
            /** The whole message. */
            message: PropTypes.string,
            /** Every problem found: dicts with field, code, message and allowed. */
            errors: PropTypes.arrayOf(PropTypes.object),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /** CSS class of the component's element (which holds the center's bell, if shown). */
    className: PropTypes.string,

    /** Inline style of the component's element. */
    style: PropTypes.object,

    /** Dash-assigned callback that should be called to report property changes. */
    setProps: PropTypes.func,
};
