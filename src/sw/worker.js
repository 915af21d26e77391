/**
 * dash_notify's service worker. It only handles notifications: it has no fetch handler
 * and its scope (Dash's component-suite path) controls no page, so it never clashes
 * with a service worker of the app's own.
 *
 * A click or close is delivered to exactly one tab: the tab that raised the notification
 * if it is open, else another open tab of the app with the same component mounted, else
 * (clicks only) a newly opened tab of the app, once its component has mounted. A pushed
 * notification (Web Push) was raised by no tab: it goes to a component with `push` on.
 */

import {MESSAGE_SOURCE, makeClick, readEnvelope} from '../lib/desktop/envelope.js';
import {webOptions} from '../lib/desktop/dispatch.js';
import {hubItemId, hubMessageId, hubOptions} from '../lib/hub/ids.js';
import {postSeen} from '../lib/hub/connection.js';
import {fetchKey, postSubscription, postUnsubscribe, subscribeWith} from '../lib/push/api.js';
import {randomId} from '../lib/ids.js';

const ANSWER_TIMEOUT_MS = 1000;
// The app's root URL: this worker is served from <root>_dash-component-suites/dash_notify/.
const APP_ROOT = self.location.href.slice(0, self.location.href.indexOf('_dash-component-suites/'));
const OPEN_TIMEOUT_MS = 60000;

// Events waiting for a tab that is being opened: {componentId, appRoot, payload, done}.
const waiting = [];

self.addEventListener('install', () => self.skipWaiting());

/** Posts `message` to a client and resolves to its answer, or null without one. */
function ask(client, message) {
    return new Promise(resolve => {
        const channel = new MessageChannel();
        const timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
        channel.port1.onmessage = event => {
            clearTimeout(timer);
            resolve(event.data);
        };
        client.postMessage({source: MESSAGE_SOURCE, ...message}, [channel.port2]);
    });
}

async function handOver(client, componentId, payload) {
    const answer = await ask(client, {type: 'event', componentId, payload});
    return Boolean(answer && answer.delivered);
}

async function appTabs(appRoot) {
    const windows = await self.clients.matchAll({type: 'window', includeUncontrolled: true});
    return windows.filter(client => client.url.startsWith(appRoot));
}

/** The component of a tab's `who` answer that takes this envelope's events, or null. */
function taker(envelope, answer) {
    if (!answer) {
        return null;
    }
    if (envelope.componentId === null) {
        return answer.push && answer.push.length ? answer.push[0] : null; // a pushed one
    }
    return answer.components.includes(envelope.componentId) ? envelope.componentId : null;
}

/** The app's open tabs that have a component for the envelope mounted, best first. */
async function candidates(envelope) {
    const ours = await appTabs(envelope.appRoot);
    const answers = await Promise.all(ours.map(client => ask(client, {type: 'who'})));
    const rank = answer =>
        (answer.tabId === envelope.tabId ? 4 : 0) + (answer.focused ? 2 : 0) + (answer.visible ? 1 : 0);
    return ours
        .map((client, index) => ({client, answer: answers[index], componentId: taker(envelope, answers[index])}))
        .filter(({componentId}) => componentId !== null)
        .sort((a, b) => rank(b.answer) - rank(a.answer));
}

function waitForTab(envelope, payload) {
    return new Promise(resolve => {
        const entry = {componentId: envelope.componentId, appRoot: envelope.appRoot, payload};
        const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            resolve(false);
        }, OPEN_TIMEOUT_MS);
        entry.done = () => {
            clearTimeout(timer);
            waiting.splice(waiting.indexOf(entry), 1);
            resolve(true);
        };
        waiting.push(entry);
    });
}

async function deliver(envelope, payload, {openIfNone, focus, open = null}) {
    for (const {client, componentId} of await candidates(envelope)) {
        if (await handOver(client, componentId, payload)) {
            if (focus && 'focus' in client) {
                await client.focus().catch(() => {});
            }
            return true;
        }
    }
    if (!openIfNone) {
        return false;
    }
    const delivered = waitForTab(envelope, payload);
    await self.clients.openWindow(open || envelope.url || envelope.appRoot);
    return delivered;
}

self.addEventListener('notificationclick', event => {
    const envelope = readEnvelope(event.notification);
    if (!envelope) {
        return;
    }
    event.notification.close();
    const click = makeClick(envelope, event.action, 'desktop', randomId());
    if (envelope.componentId === null) {
        // A pushed notification: seen on the server, whether or not a tab takes the click.
        event.waitUntil(postSeen(envelope.appRoot, [hubMessageId(envelope.id)]).catch(() => {}));
    }
    const closed = {
        id: envelope.id,
        tag: envelope.tag,
        reason: 'clicked',
        delivery: 'desktop',
        timestamp: click.timestamp,
    };
    // The url option, for a click on the body: an http(s) URL opens in a new window here
    // (a page may not open one without a gesture of its own); a path of the app is
    // followed by the tab that takes the click, or opened when no tab of the app is.
    const link = event.action ? null : envelope.link;
    if (link && !link.startsWith('/')) {
        event.waitUntil(
            Promise.all([
                self.clients.openWindow(link),
                deliver(envelope, {click, closed}, {openIfNone: false, focus: false}),
            ])
        );
        return;
    }
    const open = link ? new URL(link, envelope.appRoot).href : null;
    event.waitUntil(deliver(envelope, {click, closed}, {openIfNone: true, focus: true, open}));
});

self.addEventListener('notificationclose', event => {
    const envelope = readEnvelope(event.notification);
    if (!envelope) {
        return;
    }
    const closed = {
        id: envelope.id,
        tag: envelope.tag,
        reason: 'dismissed',
        delivery: 'desktop',
        timestamp: Date.now(),
    };
    event.waitUntil(deliver(envelope, {closed}, {openIfNone: false, focus: false}));
});

self.addEventListener('message', event => {
    const message = event.data;
    const client = event.source;
    if (!message || message.source !== MESSAGE_SOURCE || message.type !== 'ready' || !client) {
        return;
    }
    const mine = waiting.filter(
        entry =>
            (entry.componentId === message.componentId || (entry.componentId === null && message.push)) &&
            client.url.startsWith(entry.appRoot)
    );
    event.waitUntil(
        (async () => {
            for (const entry of mine) {
                if (entry.taken) {
                    continue;
                }
                entry.taken = true;
                if (await handOver(client, message.componentId, entry.payload)) {
                    entry.done();
                } else {
                    entry.taken = false;
                }
            }
        })()
    );
});

/** Whether an open tab of the app already showed hub message `id` live (its stream). */
async function shownLive(id) {
    const answers = await Promise.all((await appTabs(APP_ROOT)).map(client => ask(client, {type: 'showed', id})));
    return answers.some(answer => answer && answer.showed);
}

/**
 * A push from the hub (push/payload.py: the event stream's notification data). Shown as
 * a tab shows a live hub notification (the same options, tag and envelope), unless an
 * open tab of the app already showed that message: no second popup.
 */
async function showPushed(message) {
    if (await shownLive(message.id)) {
        return;
    }
    const options = hubOptions(message);
    const envelope = {
        id: hubItemId(message.id),
        componentId: null,
        tabId: null,
        appRoot: APP_ROOT,
        url: APP_ROOT,
        publisher: typeof message.publisher === 'string' ? message.publisher : null,
    };
    await self.registration.showNotification(options.title, webOptions(options, envelope));
}

self.addEventListener('push', event => {
    let message = null;
    try {
        message = event.data ? event.data.json() : null;
    } catch {
        message = null;
    }
    if (!message || typeof message.id !== 'number' || !message.options || typeof message.options.title !== 'string') {
        return; // not a push of the hub's
    }
    event.waitUntil(showPushed(message));
});

// The push service replaced or dropped the subscription: subscribe again (with the
// app's key) and store the new one on the hub for this browser's user.
self.addEventListener('pushsubscriptionchange', event => {
    const old = event.oldSubscription || null;
    event.waitUntil(
        (async () => {
            let next = event.newSubscription || null;
            if (!next) {
                const key = (old && old.options.applicationServerKey) || (await fetchKey(APP_ROOT));
                next = await subscribeWith(self.registration, key);
            }
            await postSubscription(APP_ROOT, next);
            if (old && old.endpoint !== next.endpoint) {
                await postUnsubscribe(APP_ROOT, old.endpoint);
            }
        })().catch(error => console.warn(`dash_notify: push: ${error.message}`))
    );
});
