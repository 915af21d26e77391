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
            focused: document.hasFocus(),
            visible: document.visibilityState === 'visible',
        });
    } else if (message.type === 'event') {
        const handler = mounted.get(message.componentId);
        if (handler) {
            handler(message.payload);
        }
        port.postMessage({delivered: Boolean(handler)});
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
    getRegistration()
        .then(registration => {
            if (mounted.get(componentId) === handler) {
                registration.active.postMessage({
                    source: MESSAGE_SOURCE,
                    type: 'ready',
                    componentId,
                });
            }
        })
        .catch(() => {});
    return () => {
        if (mounted.get(componentId) === handler) {
            mounted.delete(componentId);
        }
    };
}
