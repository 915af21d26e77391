/**
 * The hub's Web Push routes, as the page's push chunk and the service worker both call
 * them: the app's public key, and subscribing or unsubscribing this browser for the
 * requesting user (its cookies are sent: the app's login, or the anonymous id).
 */

import {request} from '../hub/connection.js';

const LANG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;

const post = (root, path, body) =>
    request(root, path, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(body),
    });

/** The app's VAPID public key as pushManager.subscribe takes it (bytes). */
export async function fetchKey(root) {
    const {publicKey} = await request(root, 'push/key');
    const base64 = publicKey.replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), c => c.charCodeAt(0));
}

/** Stores `subscription` (a PushSubscription) on the hub for this browser's user. */
export function postSubscription(root, subscription) {
    const lang = navigator.language;
    return post(root, 'push/subscribe', {
        ...subscription.toJSON(),
        lang: typeof lang === 'string' && lang.length <= 35 && LANG.test(lang) ? lang : null,
    });
}

/** Removes this browser's user's subscription with `endpoint` from the hub. */
export function postUnsubscribe(root, endpoint) {
    return post(root, 'push/unsubscribe', {endpoint});
}

/** Subscribes `registration` with the app's key (bytes), as every browser needs it. */
export function subscribeWith(registration, key) {
    return registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
}
