/**
 * Showing desktop notifications through the service worker, with severity mapped onto
 * what the desktop can do.
 */

import {ENVELOPE_KEY, makeEnvelope, readEnvelope} from './envelope.js';

/**
 * The NotificationOptions handed to showNotification.
 *  - Critical: stays until the user acts (requireInteraction forced on), never silent,
 *    and alerts again when it replaces a notification with the same tag.
 *  - High: stays until the user acts unless requireInteraction is false.
 *  - Low: silent unless silent is false or a vibration pattern is given.
 *  - Medium, None: the browser's defaults.
 */
export function webOptions(options, meta) {
    const severity = options.severity || 'None';
    const result = {
        body: options.body || '',
        tag: options.tag || '',
        data: {[ENVELOPE_KEY]: makeEnvelope(options, meta)},
        requireInteraction: options.requireInteraction === true,
        silent: options.silent === true,
        actions: (options.actions || []).map(({action, title, icon}) =>
            icon ? {action, title, icon} : {action, title}
        ),
    };
    for (const key of ['icon', 'badge', 'image', 'timestamp', 'dir', 'lang', 'vibrate']) {
        if (options[key] !== undefined) {
            result[key] = options[key];
        }
    }
    if (options.renotify !== undefined) {
        result.renotify = options.renotify;
    }
    if (severity === 'Critical') {
        result.requireInteraction = true;
        result.silent = false;
        if (result.tag && options.renotify === undefined) {
            result.renotify = true;
        }
    } else if (severity === 'High' && options.requireInteraction === undefined) {
        result.requireInteraction = true;
    } else if (
        severity === 'Low' &&
        options.silent === undefined &&
        options.vibrate === undefined
    ) {
        result.silent = true;
    }
    return result;
}

/**
 * Shows one notification through the service worker.
 *
 * Nothing here reads the browser's notification list: in Chromium, a getNotifications()
 * call soon after showNotification() lost notifications from that list in our tests,
 * before their popups were on screen.
 */
export function showDesktop(registration, options, meta) {
    return registration.showNotification(options.title, webOptions(options, meta));
}

/**
 * Closes the desktop notifications of component `componentId` for which
 * `matches(envelope)` is true; resolves to the envelopes of those it closed.
 *
 * This reads the browser's list, so the caller must only call it once the notifications
 * it expects are on screen (see showDesktop): Component waits for its last show to
 * settle first, and calls again for any expected one not listed yet.
 */
export async function closeDesktop(registration, componentId, matches) {
    const closed = [];
    for (const notification of await registration.getNotifications()) {
        const envelope = readEnvelope(notification);
        if (envelope && envelope.componentId === componentId && matches(envelope)) {
            notification.close();
            closed.push(envelope);
        }
    }
    return closed;
}
