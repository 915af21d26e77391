/**
 * dash_notify's service worker. It only handles notifications: it has no fetch handler
 * and its scope (Dash's component-suite path) controls no page, so it never clashes
 * with a service worker of the app's own.
 *
 * A click or close is delivered to exactly one tab: the tab that raised the notification
 * if it is open, else another open tab of the app with the same component mounted, else
 * (clicks only) a newly opened tab of the app, once its component has mounted.
 */

import {MESSAGE_SOURCE, makeClick, readEnvelope} from '../lib/desktop/envelope.js';
import {randomId} from '../lib/ids.js';

const ANSWER_TIMEOUT_MS = 1000;
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

/** The app's open tabs that have the component mounted, best first. */
async function candidates(envelope) {
    const windows = await self.clients.matchAll({type: 'window', includeUncontrolled: true});
    const ours = windows.filter(client => client.url.startsWith(envelope.appRoot));
    const answers = await Promise.all(ours.map(client => ask(client, {type: 'who'})));
    const rank = answer =>
        (answer.tabId === envelope.tabId ? 4 : 0) + (answer.focused ? 2 : 0) + (answer.visible ? 1 : 0);
    return ours
        .map((client, index) => ({client, answer: answers[index]}))
        .filter(({answer}) => answer && answer.components.includes(envelope.componentId))
        .sort((a, b) => rank(b.answer) - rank(a.answer))
        .map(({client}) => client);
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
    for (const client of await candidates(envelope)) {
        if (await handOver(client, envelope.componentId, payload)) {
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
        entry => entry.componentId === message.componentId && client.url.startsWith(entry.appRoot)
    );
    event.waitUntil(
        (async () => {
            for (const entry of mine) {
                if (entry.taken) {
                    continue;
                }
                entry.taken = true;
                if (await handOver(client, entry.componentId, entry.payload)) {
                    entry.done();
                } else {
                    entry.taken = false;
                }
            }
        })()
    );
});
