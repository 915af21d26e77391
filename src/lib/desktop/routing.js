/**
 * The page's side of click routing. The service worker asks every open tab of the app
 * who it is ("who"), picks one tab (the one that raised the notification if it is
 * still open, else another tab with the same component mounted) and hands it the
 * event ("event"), which the tab acknowledges; so each click reaches the Dash
 * callbacks exactly once. A tab opened by a click announces its components ("ready")
 * and receives the click the worker kept for it.
 */

import {MESSAGE_SOURCE} from './envelope.js';
import {getRegistration} from './registration.js';
import {randomId} from '../ids.js';

const TAB_KEY = 'dash_notify.tabId';
// componentId -> function receiving the worker's events
const mounted = new Map();
// The components with `push` on: they take the clicks on pushed notifications.
const pushing = new Set();
// Hub message ids this page showed live: the worker shows no push of those.
const hubShown = new Set();
let listening = false;
let tabId = null;

/** An id for this browser tab that survives reloads of the tab (sessionStorage). */
export function getTabId() {
    if (tabId === null) {
        try {
            tabId = window.sessionStorage.getItem(TAB_KEY);
            if (!tabId) {
                tabId = randomId();
                window.sessionStorage.setItem(TAB_KEY, tabId);
            }
        } catch {
            tabId = randomId();
        }
    }
    return tabId;
}

function onWorkerMessage(event) {
    const message = event.data;
    const port = event.ports && event.ports[0];
    if (!message || message.source !== MESSAGE_SOURCE || !port) {
        return;
    }
    if (message.type === 'who') {
        port.postMessage({
            tabId: getTabId(),
            components: Array.from(mounted.keys()),
            push: Array.from(pushing).filter(id => mounted.has(id)),
            focused: document.hasFocus(),
            visible: document.visibilityState === 'visible',
        });
    } else if (message.type === 'event') {
        const handler = mounted.get(message.componentId);
        if (handler) {
            handler(message.payload);
        }
        port.postMessage({delivered: Boolean(handler)});
    } else if (message.type === 'showed') {
        port.postMessage({showed: hubShown.has(message.id)});
    }
}

/** Notes that this page shows hub message `id` live (see the worker's push handler). */
export function noteHubShown(id) {
    hubShown.add(id);
    if (hubShown.size > 1000) {
        hubShown.delete(hubShown.values().next().value);
    }
}

function listen() {
    if (!listening && 'serviceWorker' in navigator) {
        listening = true;
        navigator.serviceWorker.addEventListener('message', onWorkerMessage);
        navigator.serviceWorker.startMessages();
    }
}

/**
 * Receives the worker's events for `componentId` (clicks, closes) in `handler` until
 * the returned function is called. Also collects a click kept for this component
 * while the app was being opened.
 */
export function connect(componentId, handler) {
    listen();
    mounted.set(componentId, handler);
    announce(componentId, handler);
    return () => {
        if (mounted.get(componentId) === handler) {
            mounted.delete(componentId);
        }
    };
}

/** Tells the worker that `componentId` is ready for the events it keeps. */
function announce(componentId, handler = mounted.get(componentId)) {
    if (!listening) {
        return; // no service workers here (connect was not called, or found none)
    }
    getRegistration()
        .then(registration => {
            if (handler && mounted.get(componentId) === handler) {
                registration.active.postMessage({
                    source: MESSAGE_SOURCE,
                    type: 'ready',
                    componentId,
                    push: pushing.has(componentId),
                });
            }
        })
        .catch(() => {});
}

/**
 * Whether component `componentId` takes clicks on pushed notifications (`push` on; a
 * component no longer mounted takes none).
 */
export function takePushes(componentId, on) {
    if (!on) {
        pushing.delete(componentId);
    } else if (!pushing.has(componentId)) {
        pushing.add(componentId);
        announce(componentId);
    }
}
