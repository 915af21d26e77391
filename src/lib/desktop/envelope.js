/**
 * What dash_notify keeps in a desktop notification's `data`: enough for the service
 * worker to build clickData and route a click back to the right tab and component,
 * even after the page that raised it is gone. Shared by the page bundle and the worker.
 */

export const ENVELOPE_KEY = 'dashNotify';
export const MESSAGE_SOURCE = 'dash-notify';

/**
 * The fields a click needs (see makeClick), with their defaults: shared by the desktop
 * envelope and the history's records, so that every delivery reports clicks alike.
 */
export function clickFields(options) {
    return {
        severity: options.severity || 'None',
        type: options.type || 'Notification',
        source: options.source === undefined ? null : options.source,
        category: options.category === undefined ? null : options.category,
        tag: options.tag === undefined ? null : options.tag,
        clickInterop: options.clickInterop || null,
        // the url option (`url` in the envelope is the page that raised it)
        link: options.url || null,
        actions: (options.actions || []).map(({action, title, interop}) => ({
            action,
            title,
            interop: interop || null,
        })),
        data: options.data === undefined ? null : options.data,
    };
}

export function makeEnvelope(options, {id, componentId, tabId, appRoot, url, publisher = null}) {
    return {id, componentId, tabId, appRoot, url, publisher, ...clickFields(options)};
}

export function readEnvelope(notification) {
    const data = notification && notification.data;
    return data && typeof data === 'object' && data[ENVELOPE_KEY] ? data[ENVELOPE_KEY] : null;
}

/** clickData for a click on the body (action "") or on one of the action buttons. */
export function makeClick(envelope, action, delivery, eventId) {
    let interop = envelope.clickInterop;
    if (action) {
        const clicked = envelope.actions.find(a => a.action === action);
        interop = clicked ? clicked.interop : null;
    }
    return {
        id: envelope.id,
        action: action || null,
        interop: interop || null,
        tag: envelope.tag,
        data: envelope.data,
        severity: envelope.severity,
        type: envelope.type,
        source: envelope.source,
        category: envelope.category || null,
        url: envelope.link || null,
        publisher: envelope.publisher || null,
        delivery,
        timestamp: Date.now(),
        eventId,
    };
}
