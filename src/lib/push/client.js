/**
 * Web Push in the page, a chunk of its own (async-push.js) that the Notifications
 * component loads only when its `push` prop is (or was) on: subscribing this browser
 * with the app's public key once notification permission is granted, keeping the hub's
 * copy current, and unsubscribing.
 */

import {getRegistration} from '../desktop/registration.js';
import {fetchKey, postSubscription, postUnsubscribe, subscribeWith} from './api.js';

// pushManager.subscribe asks the browser's push service; past this, the state says
// "error" (and becomes "subscribed" if the answer still comes).
const ANSWER_MS = 15000;

function sameKey(subscription, key) {
    const current = subscription.options && subscription.options.applicationServerKey;
    if (!current) {
        return false;
    }
    const bytes = new Uint8Array(current);
    return bytes.length === key.length && bytes.every((byte, index) => byte === key[index]);
}

async function subscribe(root, report) {
    const registration = await getRegistration();
    const key = await fetchKey(root);
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
        // Made with another key (the app's keys changed): push services refuse its pushes.
        await postUnsubscribe(root, subscription.endpoint).catch(() => {});
        await subscription.unsubscribe();
        subscription = null;
    }
    if (!subscription) {
        const timer = setTimeout(() => {
            console.warn(`dash_notify: push: the browser's push service did not answer in ${ANSWER_MS / 1000} s`);
            report('error');
        }, ANSWER_MS);
        try {
            subscription = await subscribeWith(registration, key);
        } finally {
            clearTimeout(timer);
        }
    }
    // Every time: the hub's copy follows the browser's (and its current user).
    await postSubscription(root, subscription);
}

async function unsubscribe(root) {
    const subscription = await (await getRegistration()).pushManager.getSubscription();
    if (subscription) {
        await postUnsubscribe(root, subscription.endpoint);
        await subscription.unsubscribe();
    }
}

/**
 * Brings this browser's subscription in line with `on` (the `push` prop) and the
 * notification `permission`, calling `report(state)` with each state it reaches:
 * "off", "unsupported", "denied", "waiting" (for permission), "subscribing",
 * "subscribed". Rejects on failure (the component reports "error").
 */
export async function follow(on, permission, root, report) {
    if (!on) {
        await unsubscribe(root);
        report('off');
    } else if (permission === 'unsupported' || typeof PushManager === 'undefined') {
        report('unsupported');
    } else if (permission === 'denied') {
        report('denied');
    } else if (permission !== 'granted') {
        report('waiting');
    } else {
        report('subscribing');
        await subscribe(root, report);
        report('subscribed');
    }
}
