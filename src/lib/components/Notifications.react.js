import React, {useCallback, useEffect, useLayoutEffect, useRef} from 'react';
import PropTypes from 'prop-types';

import {validateOptions} from '../options/index.js';
import {readMaxActions, readPermission, watchPermission} from '../desktop/permission.js';
import {appRoot, getRegistration} from '../desktop/registration.js';
import {showDesktop} from '../desktop/dispatch.js';
import {connect, getTabId} from '../desktop/routing.js';
import {randomId} from '../ids.js';
import {useDevtoolsErrors} from '../devtools.js';

const SEVERITIES = ['Low', 'Medium', 'High', 'Critical', 'None'];
const DELIVERIES = ['desktop'];
const NOT_SHOWN_REASONS = ['invalid', 'permission-default', 'permission-denied', 'unsupported', 'error'];

function componentKey(id) {
    if (typeof id === 'string') {
        return id;
    }
    const api = window.dash_component_api;
    return api && api.stringifyId ? api.stringifyId(id) : JSON.stringify(id);
}

/**
 * Shows real desktop notifications raised from Dash callbacks, through a service worker,
 * and sends clicks on them (body and action buttons) back to Dash callbacks as
 * `clickData`. Put one in the layout and set its `raise` prop from a callback, or call
 * `dash_notify.notify(id, options)` from any callback.
 */
export default function Notifications({
    id,
    setProps,
    raise = null,
    permission = 'default',
    className = undefined,
    style = undefined,
}) {
    const key = componentKey(id);
    // setProps may change between renders; events that arrive later use the latest.
    const setPropsRef = useRef(setProps);
    useLayoutEffect(() => {
        setPropsRef.current = setProps;
    });
    const reportToDevtools = useDevtoolsErrors();
    // tag -> id of the notification this component last showed with that tag, so that
    // a replacement by tag can be reported in closedData.
    const shownTags = useRef(new Map());

    const emit = useCallback(props => setPropsRef.current(props), []);

    // Permission and the browser's action limit, kept current.
    useEffect(() => {
        const update = current => emit({permission: current, maxActions: readMaxActions()});
        update(readPermission());
        return watchPermission(update);
    }, [emit]);

    // Clicks and closes routed to this component by the service worker.
    useEffect(() => {
        if (readPermission() === 'unsupported') {
            return undefined;
        }
        return connect(key, ({click, closed}) => {
            const eventId = randomId();
            const props = {};
            if (click) {
                props.clickData = click;
            }
            if (closed) {
                props.closedData = [{...closed, eventId}];
                if (closed.tag !== null && shownTags.current.get(closed.tag) === closed.id) {
                    shownTags.current.delete(closed.tag);
                }
            }
            emit(props);
        });
    }, [key, emit]);

    // Shows one notification; resolves to its entries for shownData, closedData and errorData.
    const dispatchOne = useCallback(
        async (options, index) => {
            const id = randomId();
            const tag = options && typeof options.tag === 'string' ? options.tag : null;
            const shown = (delivery, reason) => ({id, index, tag, delivery, reason});
            const failure = (message, errors) => {
                reportToDevtools(message);
                return {id, index, field: errors.length ? errors[0].field : null, message, errors};
            };

            const errors = validateOptions(options);
            if (errors.length) {
                const where = index === null ? '' : ` (raise[${index}])`;
                const message = `dash_notify: invalid notification options${where}: ${errors
                    .map(e => e.message)
                    .join('; ')}`;
                return {shown: shown(null, 'invalid'), closed: [], error: failure(message, errors)};
            }
            const current = readPermission();
            if (current !== 'granted') {
                const reason = current === 'unsupported' ? current : `permission-${current}`;
                console.warn(`dash_notify: notification "${options.title}" not shown (${reason})`);
                return {shown: shown(null, reason), closed: [], error: null};
            }
            try {
                const registration = await getRegistration();
                await showDesktop(registration, options, {
                    id,
                    componentId: key,
                    tabId: getTabId(),
                    appRoot: appRoot(),
                    url: window.location.href,
                });
                const replaced = tag === null ? undefined : shownTags.current.get(tag);
                if (tag !== null) {
                    shownTags.current.set(tag, id);
                }
                return {
                    shown: shown('desktop', null),
                    closed: replaced
                        ? [{id: replaced, tag, reason: 'replaced', delivery: 'desktop'}]
                        : [],
                    error: null,
                };
            } catch (error) {
                const message = `dash_notify: notification "${options.title}" could not be shown: ${error.message}`;
                return {shown: shown(null, 'error'), closed: [], error: failure(message, [])};
            }
        },
        [key, reportToDevtools]
    );

    // Each value set on `raise` is shown once, then `raise` is cleared, so a re-mount or
    // a page navigation never shows it again, and the same dict raised twice shows twice.
    // Its events are reported together: one update of each event prop per value raised.
    // A layout effect, so that dispatch starts right after React commits, not after the
    // next paint.
    useLayoutEffect(() => {
        if (raise === null || raise === undefined) {
            return;
        }
        // A mark in the browser's performance timeline (DevTools, and bench/).
        performance.mark('dash_notify:raise');
        emit({raise: null});
        const list = Array.isArray(raise) ? raise : [raise];
        // One after the other, so that a tag's replacement check sees the notifications
        // raised before it in the same list.
        list.reduce(
            (done, options, index) =>
                done.then(results =>
                    dispatchOne(options, Array.isArray(raise) ? index : null).then(result => [
                        ...results,
                        result,
                    ])
                ),
            Promise.resolve([])
        ).then(results => {
            const stamp = entry => ({...entry, timestamp: Date.now(), eventId: randomId()});
            const props = {shownData: results.map(r => stamp(r.shown))};
            const closed = results.flatMap(r => r.closed);
            const errors = results.map(r => r.error).filter(Boolean);
            if (closed.length) {
                props.closedData = closed.map(stamp);
            }
            if (errors.length) {
                props.errorData = errors.map(stamp);
            }
            emit(props);
        });
    }, [raise, emit, dispatchOne]);

    return (
        <div
            id={typeof id === 'string' ? id : undefined}
            className={className}
            style={{display: 'none', ...style}}
            data-permission={permission}
        />
    );
}

Notifications.propTypes = {
    /** The ID used to identify this component in Dash callbacks. */
    id: PropTypes.oneOfType([PropTypes.string, PropTypes.object]),

    /**
     * Writable: the notification to show (a dict of options), or a list of them. Each
     * value set is shown once, then the prop is cleared to None. Options:
     *
     * - title (string, required): the title, 1 to 500 characters.
     * - body (string): the main text, up to 5000 characters.
     * - severity ("Low" | "Medium" | "High" | "Critical" | "None"): urgency. "Critical"
     *   stays until the user acts and is never silent; "High" stays until the user acts
     *   unless requireInteraction is False; "Low" is silent unless silent is False.
     * - type ("Notification" | "Alert"): a general notification or an alert.
     * - source (string): the name of the notification's source.
     * - clickInterop (dict): the interop method called when the body is clicked:
     *   {method (string, required), arguments (any JSON), target (string, dict or list)}.
     * - actions (list of at most 2 dicts): action buttons, each {action (string id,
     *   required), title (string label, required), icon (URL), interop (as clickInterop)}.
     * - icon, badge, image (string URLs): relative, http(s), blob: or data:image/ (not
     *   javascript: or data:image/svg).
     * - tag (string): a notification with the same tag as a shown one replaces it.
     * - data (any JSON): returned in clickData.
     * - requireInteraction (bool): keep the notification until the user acts.
     * - silent (bool): no sound or vibration (not together with vibrate).
     * - renotify (bool): alert again when replacing a notification with the same tag
     *   (needs a tag).
     * - timestamp (number): the time the notification refers to, in ms since the epoch.
     * - dir ("auto" | "ltr" | "rtl"): text direction.
     * - lang (string): language tag of the text, such as "en-GB".
     * - vibrate (int or list of ints): vibration pattern in milliseconds.
     *
     * Options are checked against dash_notify/options.schema.json, as
     * dash_notify.notification() checks them in Python. Invalid options are shown
     * nowhere: they are reported in errorData, the browser console and Dash's dev tools,
     * and valid ones in the same list are still shown.
     */
    raise: PropTypes.oneOfType([PropTypes.object, PropTypes.arrayOf(PropTypes.object)]),

    /**
     * Read-only: the permission for desktop notifications, kept current. "unsupported"
     * where the browser has no Notification API or service workers, or the page is not
     * a secure context (https or localhost).
     */
    permission: PropTypes.oneOf(['default', 'granted', 'denied', 'unsupported']),

    /** Read-only: how many action buttons the browser shows (2 in Chromium, 0 if unsupported). */
    maxActions: PropTypes.number,

    /**
     * Read-only: set on every click of a notification's body or of one of its actions.
     * Two identical clicks are two events (eventId differs).
     */
    clickData: PropTypes.exact({
        /** The notification's id (the same as in shownData). */
        id: PropTypes.string,
        /** The clicked action's id; None for a click on the body. */
        action: PropTypes.string,
        /** The clicked part's interop setting ({method, arguments, target}), or None. */
        interop: PropTypes.object,
        /** The notification's tag, or None. */
        tag: PropTypes.string,
        /** The notification's data, or None. */
        data: PropTypes.any,
        /** The notification's severity ("None" if it had none). */
        severity: PropTypes.oneOf(SEVERITIES),
        /** The notification's type ("Notification" if it had none). */
        type: PropTypes.oneOf(['Notification', 'Alert']),
        /** The notification's source, or None. */
        source: PropTypes.string,
        /** Where it was clicked: "desktop". */
        delivery: PropTypes.oneOf(DELIVERIES),
        /** When it was clicked, in milliseconds since the epoch. */
        timestamp: PropTypes.number,
        /** A unique id of this click. */
        eventId: PropTypes.string,
    }),

    /**
     * Read-only: how each notification raised was delivered, or why it was not shown.
     * Set once for each value given to `raise`, with one entry per notification in it
     * (a single dict gives a list of one).
     */
    shownData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id (the same as in clickData and closedData). */
            id: PropTypes.string,
            /** Its position in a raised list, or None for a single dict. */
            index: PropTypes.number,
            /** Its tag, or None. */
            tag: PropTypes.string,
            /** "desktop", or None when it was not shown. */
            delivery: PropTypes.oneOf(DELIVERIES),
            /**
             * Why it was not shown, or None: "invalid" (see errorData),
             * "permission-default" (the person has not decided yet), "permission-denied",
             * "unsupported" or "error" (the browser refused it; see errorData).
             */
            reason: PropTypes.oneOf(NOT_SHOWN_REASONS),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /**
     * Read-only: notifications that closed, one entry each. Set for each close the
     * browser reports, and with a raise for the notifications its tags replaced.
     */
    closedData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id. */
            id: PropTypes.string,
            /** Its tag, or None. */
            tag: PropTypes.string,
            /**
             * "clicked" (body or action), "dismissed" (closed by the user) or "replaced"
             * (a notification with the same tag took its place).
             */
            reason: PropTypes.oneOf(['clicked', 'dismissed', 'replaced']),
            /** How it had been delivered: "desktop". */
            delivery: PropTypes.oneOf(DELIVERIES),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /**
     * Read-only: notifications of a raise that were invalid or that the browser refused,
     * one entry each. The same message goes to the browser console and, in debug mode,
     * to Dash's dev tools; the other notifications of the raise are still shown.
     */
    errorData: PropTypes.arrayOf(
        PropTypes.exact({
            /** The notification's id (as in shownData). */
            id: PropTypes.string,
            /** Its position in a raised list, or None for a single dict. */
            index: PropTypes.number,
            /** The first bad field, such as "actions[0].title", or None. */
            field: PropTypes.string,
            /** The whole message. */
            message: PropTypes.string,
            /** Every problem found: dicts with field, code, message and allowed. */
            errors: PropTypes.arrayOf(PropTypes.object),
            /** When, in milliseconds since the epoch. */
            timestamp: PropTypes.number,
            /** A unique id of this event. */
            eventId: PropTypes.string,
        })
    ),

    /** CSS class of the component's (hidden) element. */
    className: PropTypes.string,

    /** Inline style of the component's (hidden) element. */
    style: PropTypes.object,

    /** Dash-assigned callback that should be called to report property changes. */
    setProps: PropTypes.func,
};
