/**
 * The page's side of dash_notify's service worker: where it is served and its
 * registration. The worker lives under Dash's component-suite path (honouring
 * requests_pathname_prefix), so its scope never overlaps a service worker the app has
 * of its own, and it needs no route or header from the app.
 */

const PACKAGE = 'dash_notify';
const WORKER_FILE = 'sw.js';

let registrationPromise = null;

function dashConfig() {
    const element = document.getElementById('_dash-config');
    try {
        return element ? JSON.parse(element.textContent) : {};
    } catch {
        return {};
    }
}

/** The absolute URL of the app's root, e.g. "http://host/prefix/". */
export function appRoot() {
    const prefix = dashConfig().requests_pathname_prefix || '/';
    return new URL(prefix, window.location.href).href;
}

export function workerUrl() {
    return new URL(`_dash-component-suites/${PACKAGE}/${WORKER_FILE}`, appRoot()).href;
}

function whenActive(registration) {
    if (registration.active) {
        return Promise.resolve(registration);
    }
    const worker = registration.installing || registration.waiting;
    return new Promise((resolve, reject) => {
        const onChange = () => {
            if (worker.state === 'activated') {
                worker.removeEventListener('statechange', onChange);
                resolve(registration);
            } else if (worker.state === 'redundant') {
                worker.removeEventListener('statechange', onChange);
                reject(new Error('dash_notify: the service worker failed to install'));
            }
        };
        worker.addEventListener('statechange', onChange);
    });
}

/**
 * Resolves to the worker's registration once it has an active worker.
 * (`navigator.serviceWorker.ready` never resolves for a worker that does not control the
 * page, which ours by design does not.)
 */
export function getRegistration() {
    if (!registrationPromise) {
        registrationPromise = navigator.serviceWorker.register(workerUrl()).then(whenActive);
        registrationPromise.catch(() => {
            registrationPromise = null;
        });
    }
    return registrationPromise;
}
