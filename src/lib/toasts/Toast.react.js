import React, {memo, useCallback, useEffect, useRef} from 'react';
import PropTypes from 'prop-types';

import {isSafeUrl} from '../options/urls.js';

const GLYPHS = {None: 'i', Low: 'i', Medium: '!', High: '!', Critical: '!!'};

/** The visible name of a severity: colour is never the only sign of it. */
export function severityLabel(severity) {
    return severity === 'None' ? 'Info' : severity;
}

// One formatter for every toast: toLocaleTimeString builds a new one on each call.
let clock = null;

export function formatTime(timestamp) {
    if (clock === null) {
        clock = new Intl.DateTimeFormat([], {hour: '2-digit', minute: '2-digit'});
    }
    return clock.format(timestamp);
}

/** The icon of a notification: its own image, or a glyph of its severity. */
export function Icon({item}) {
    return (
        <span className="dn-icon" aria-hidden="true">
            {item.icon && isSafeUrl(item.icon) ? <img src={item.icon} alt="" /> : GLYPHS[item.severity]}
        </span>
    );
}

Icon.propTypes = {item: PropTypes.object.isRequired};

/** A notification's category in its meta line (as text, never HTML), or nothing. */
export function Category({item}) {
    return typeof item.category === 'string' && item.category ? (
        <>
            {' · '}
            <span className="dn-cat">{item.category}</span>
        </>
    ) : null;
}

Category.propTypes = {item: PropTypes.object.isRequired};

/** Title, body and the line with severity, type, source, category and time: all as text. */
export function Summary({item}) {
    return (
        <span className="dn-text">
            <span className="dn-meta">
                <span className="dn-sev">{severityLabel(item.severity)}</span>
                {item.type === 'Alert' ? ' · Alert' : ''}
                {item.source ? ` · ${item.source}` : ''}
                <Category item={item} />
                {' · '}
                <time dateTime={new Date(item.timestamp).toISOString()}>{formatTime(item.timestamp)}</time>
            </span>
            <span className="dn-title">{item.title}</span>
            {item.body ? <span className="dn-body">{item.body}</span> : null}
        </span>
    );
}

Summary.propTypes = {item: PropTypes.object.isRequired};

export function Actions({item, onClick}) {
    if (!item.actions.length) {
        return null;
    }
    return (
        <div className="dn-actions">
            {item.actions.map(({action, title}) => (
                <button key={action} type="button" className="dn-btn" onClick={() => onClick(action)}>
                    {title}
                </button>
            ))}
        </div>
    );
}

Actions.propTypes = {item: PropTypes.object.isRequired, onClick: PropTypes.func.isRequired};

function Progress({item}) {
    const known = typeof item.progress === 'number';
    const percent = known ? Math.round(item.progress * 100) : null;
    return (
        <div
            className="dn-progress"
            role="progressbar"
            aria-label={`${item.title}: in progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={known ? percent : undefined}
            data-indeterminate={known ? undefined : ''}
        >
            <span style={known ? {width: `${percent}%`} : undefined} />
        </div>
    );
}

Progress.propTypes = {item: PropTypes.object.isRequired};

/**
 * One toast. It closes itself after `duration` ms (null: it stays), counting only while
 * `paused` is false; an update by tag (a new timestamp) starts the count again.
 * `onClick(item, action)` and `onClose(item, reason)`. Rendered again only when one of
 * its props changes (memo).
 */
function Toast({item, depth, duration, paused, onClick: onItemClick, onClose: onItemClose}) {
    const remaining = useRef(duration);
    const onClick = useCallback(action => onItemClick(item, action), [onItemClick, item]);
    const onClose = useCallback(reason => onItemClose(item, reason), [onItemClose, item]);

    useEffect(() => {
        remaining.current = duration;
    }, [duration, item.timestamp]);

    useEffect(() => {
        if (duration === null || paused) {
            return undefined;
        }
        const started = Date.now();
        const timer = setTimeout(() => onClose('expired'), remaining.current);
        return () => {
            clearTimeout(timer);
            remaining.current = Math.max(0, remaining.current - (Date.now() - started));
        };
    }, [duration, paused, item.timestamp, onClose]);

    return (
        <li
            className="dn-toast"
            data-severity={item.severity}
            data-type={item.type}
            data-id={item.id}
            data-depth={depth || undefined}
            style={depth ? {'--dn-k': depth} : undefined}
            dir={item.dir}
            lang={item.lang || undefined}
        >
            <button type="button" className="dn-main" onClick={() => onClick(null)}>
                <Icon item={item} />
                <Summary item={item} />
            </button>
            <Actions item={item} onClick={onClick} />
            {item.inProgress ? <Progress item={item} /> : null}
            <button
                type="button"
                className="dn-close"
                aria-label={`Dismiss notification: ${item.title}`}
                onClick={() => onClose('dismissed')}
            >
                ×
            </button>
        </li>
    );
}

export default memo(Toast);

Toast.propTypes = {
    item: PropTypes.object.isRequired,
    /** Stacked mode: how many toasts are in front of this one (0: the front one). */
    depth: PropTypes.number.isRequired,
    duration: PropTypes.number,
    paused: PropTypes.bool.isRequired,
    onClick: PropTypes.func.isRequired,
    onClose: PropTypes.func.isRequired,
};
