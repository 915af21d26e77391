import React, {useEffect, useId, useRef, useState} from 'react';
import PropTypes from 'prop-types';

import {Actions, Icon, Summary} from '../toasts/Toast.react.js';

const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'None'];

export const badgeText = unread => (unread > 9 ? '9+' : String(unread));

/**
 * The notification center: a bell with the unread count that opens a panel listing
 * every notification of the session, newest first, with filters (unread, severity),
 * mark read, dismiss, mark all read and clear all. Escape closes the panel and gives
 * the focus back to the bell; a press outside closes it too.
 */
export default function Center({items, onClick, onMarkRead, onDismiss, onMarkAllRead, onClear}) {
    const [open, setOpen] = useState(false);
    const [unreadOnly, setUnreadOnly] = useState(false);
    const [severity, setSeverity] = useState('all');
    const root = useRef(null);
    const bell = useRef(null);
    const panel = useRef(null);
    const panelId = useId();

    useEffect(() => {
        if (!open) {
            return undefined;
        }
        if (panel.current) {
            panel.current.focus();
        }
        // A press outside the bell and the panel closes the panel.
        const onPress = event => {
            if (root.current && !root.current.contains(event.target)) {
                setOpen(false);
            }
        };
        document.addEventListener('mousedown', onPress);
        return () => document.removeEventListener('mousedown', onPress);
    }, [open]);

    const unread = items.filter(item => !item.read).length;
    const shown = items.filter(
        item => (!unreadOnly || !item.read) && (severity === 'all' || item.severity === severity)
    );
    const close = () => {
        setOpen(false);
        if (bell.current) {
            bell.current.focus();
        }
    };

    return (
        <div ref={root} className="dn-center-root" style={{position: 'relative', display: 'inline-block'}}>
            <button
                ref={bell}
                type="button"
                className="dn-bell"
                aria-label={`Notifications, ${unread} unread`}
                aria-expanded={open}
                aria-controls={panelId}
                onClick={() => (open ? close() : setOpen(true))}
            >
                <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
                    <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
                </svg>
                {unread ? (
                    <span className="dn-badge" aria-hidden="true">
                        {badgeText(unread)}
                    </span>
                ) : null}
            </button>
            {open ? (
                <div
                    ref={panel}
                    id={panelId}
                    className="dn-center"
                    role="dialog"
                    aria-label="Notification center"
                    tabIndex={-1}
                    onKeyDown={event => {
                        if (event.key === 'Escape') {
                            event.preventDefault();
                            close();
                        }
                    }}
                >
                    <div className="dn-center-bar">
                        <label>
                            <input
                                type="checkbox"
                                checked={unreadOnly}
                                onChange={event => setUnreadOnly(event.target.checked)}
                            />{' '}
                            Unread only
                        </label>
                        <label>
                            Severity{' '}
                            <select value={severity} onChange={event => setSeverity(event.target.value)}>
                                <option value="all">All</option>
                                {SEVERITIES.map(name => (
                                    <option key={name} value={name}>
                                        {name}
                                    </option>
                                ))}
                            </select>
                        </label>
                        <button type="button" className="dn-btn" onClick={onMarkAllRead} disabled={!unread}>
                            Mark all read
                        </button>
                        <button type="button" className="dn-btn" onClick={onClear} disabled={!items.length}>
                            Clear all
                        </button>
                    </div>
                    {shown.length ? (
                        <ol aria-label={`${shown.length} notifications`}>
                            {shown.map(item => (
                                <li
                                    key={item.id}
                                    className="dn-item"
                                    data-severity={item.severity}
                                    data-read={String(item.read)}
                                    data-id={item.id}
                                    dir={item.dir}
                                >
                                    <button type="button" className="dn-main" onClick={() => onClick(item, null)}>
                                        <Icon item={item} />
                                        <Summary item={item} />
                                        <span className="dn-sr">{item.read ? '' : ' (unread)'}</span>
                                    </button>
                                    <Actions item={item} onClick={action => onClick(item, action)} />
                                    <div className="dn-actions">
                                        {item.read ? null : (
                                            <button type="button" className="dn-btn" onClick={() => onMarkRead(item)}>
                                                Mark read
                                            </button>
                                        )}
                                        <button
                                            type="button"
                                            className="dn-btn"
                                            aria-label={`Dismiss: ${item.title}`}
                                            onClick={() => onDismiss(item)}
                                        >
                                            Dismiss
                                        </button>
                                    </div>
                                </li>
                            ))}
                        </ol>
                    ) : (
                        <p>No notifications.</p>
                    )}
                </div>
            ) : null}
        </div>
    );
}

Center.propTypes = {
    items: PropTypes.arrayOf(PropTypes.object).isRequired,
    onClick: PropTypes.func.isRequired,
    onMarkRead: PropTypes.func.isRequired,
    onDismiss: PropTypes.func.isRequired,
    onMarkAllRead: PropTypes.func.isRequired,
    onClear: PropTypes.func.isRequired,
};
