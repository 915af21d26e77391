/**
 * Permission for desktop notifications: reading it, following its changes and asking
 * for it from a user gesture. "unsupported" covers browsers without the Notification
 * API or service workers, and pages that are not a secure context.
 */

export const PERMISSIONS = ['default', 'granted', 'denied', 'unsupported'];

// Components on this page that follow the permission; told at once when a prompt is answered.
const listeners = new Set();

export function isSupported() {
    return (
        typeof window !== 'undefined' &&
        window.isSecureContext === true &&
        'Notification' in window &&
        'serviceWorker' in navigator &&
        typeof ServiceWorkerRegistration !== 'undefined' &&
        'showNotification' in ServiceWorkerRegistration.prototype
    );
}

export function readPermission() {
    return isSupported() ? window.Notification.permission : 'unsupported';
}

/** How many action buttons the browser shows (0 where notifications are unsupported). */
export function readMaxActions() {
    if (!isSupported()) {
        return 0;
    }
    const max = window.Notification.maxActions;
    // Browsers that do not report a number do not show actions reliably.
    return typeof max === 'number' ? max : 0;
}

/**
 * Calls `onChange(permission)` whenever the permission changes (through the browser's
 * site settings, a prompt in another tab or `requestPermission`). Returns an unsubscribe
 * function.
 */
export function watchPermission(onChange) {
    listeners.add(onChange);
    let status = null;
    let cancelled = false;
    const notify = () => onChange(readPermission());
    if (isSupported() && navigator.permissions && navigator.permissions.query) {
        navigator.permissions
            .query({name: 'notifications'})
            .then(result => {
                if (!cancelled) {
                    status = result;
                    status.addEventListener('change', notify);
                }
            })
            .catch(() => {});
    }
    return () => {
        cancelled = true;
        listeners.delete(onChange);
        if (status) {
            status.removeEventListener('change', notify);
        }
    };
}

/**
 * Asks the person for permission. Call it from a click or key handler: browsers ignore
 * or block the prompt outside a user gesture. Resolves to the new permission.
 */
export function requestPermission() {
    if (!isSupported()) {
        return Promise.resolve('unsupported');
    }
    return new Promise(resolve => {
        // Older Safari takes a callback and returns undefined.
        const result = window.Notification.requestPermission(resolve);
        if (result && typeof result.then === 'function') {
            result.then(resolve, () => resolve(readPermission()));
        }
    }).then(permission => {
        listeners.forEach(listener => listener(permission));
        return permission;
    });
}
