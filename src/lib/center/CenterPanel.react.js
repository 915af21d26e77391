import React, {memo, useEffect, useId, useLayoutEffect, useRef, useState} from 'react';
import PropTypes from 'prop-types';

import {Actions, Category, Icon, severityLabel} from '../toasts/Toast.react.js';
import {absoluteTime, groupByDay, matchesQuery, relativeTime} from './time.js';
import {PANEL_CSS} from './styles.js';
import {SettingsButton} from './SettingsButton.react.js';
import {addCss} from '../styles.js';

const SHOW = [
    ['all', 'All'],
    ['unread', 'Unread'],
];
const SEVERITY_FILTERS = [
    ['all', 'All'],
    ['Critical', 'Critical'],
    ['High', 'High'],
    ['Medium', 'Medium'],
    ['Low', 'Low'],
    ['None', 'Info'],
];
/** The category filter's options: All, then each category among `items` (and the chosen one). */
function categoryOptions(items, chosen) {
    const names = new Set(items.map(item => item.category).filter(name => typeof name === 'string' && name));
    if (chosen !== 'all') {
        names.add(chosen);
    }
    return [['all', 'All'], ...[...names].sort().map(name => [name, name])];
}

// Relative times are redrawn this often while the panel is open.
const TICK_MS = 30000;

/** A segmented control: native radio buttons (arrow keys, screen readers) styled as one. */
export function Segmented({label, name, options, value, onChange}) {
    return (
        <fieldset className="dn-seg">
            <legend className="dn-sr">{label}</legend>
            {options.map(([optionValue, text]) => (
                <label key={optionValue}>
                    <input
                        type="radio"
                        name={name}
                        value={optionValue}
                        checked={value === optionValue}
                        onChange={() => onChange(optionValue)}
                    />
                    <span>{text}</span>
                </label>
            ))}
        </fieldset>
    );
}

Segmented.propTypes = {
    label: PropTypes.string.isRequired,
    name: PropTypes.string.isRequired,
    options: PropTypes.array.isRequired,
    value: PropTypes.string.isRequired,
    onChange: PropTypes.func.isRequired,
};

/**
 * The per-item menu: a button shown on hover and focus that opens a menu of the item's
 * housekeeping (mark read, dismiss). Arrow keys move in the menu; Escape closes it and
 * gives the focus back to its button.
 */
function ItemMenu({item, onMarkRead, onDismiss}) {
    const [open, setOpen] = useState(false);
    const button = useRef(null);
    const menu = useRef(null);
    const menuId = useId();

    useEffect(() => {
        if (!open) {
            return undefined;
        }
        const first = menu.current && menu.current.querySelector('[role=menuitem]');
        if (first) {
            first.focus();
        }
        const onPress = event => {
            if (menu.current && !menu.current.contains(event.target) && !button.current.contains(event.target)) {
                setOpen(false);
            }
        };
        document.addEventListener('mousedown', onPress);
        return () => document.removeEventListener('mousedown', onPress);
    }, [open]);

    const close = () => {
        setOpen(false);
        button.current.focus();
    };
    const onKeyDown = event => {
        const entries = [...menu.current.querySelectorAll('[role=menuitem]')];
        const index = entries.indexOf(document.activeElement);
        if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation(); // the menu closes, not the panel
            close();
        } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            entries[(index + step + entries.length) % entries.length].focus();
        } else if (event.key === 'Tab') {
            setOpen(false);
        }
    };
    const choose = action => {
        setOpen(false);
        action();
    };

    return (
        <div className="dn-menu-wrap" data-open={open || undefined}>
            <button
                ref={button}
                type="button"
                className="dn-menu-btn"
                aria-label={`More actions: ${item.title}`}
                aria-haspopup="menu"
                aria-expanded={open}
                aria-controls={open ? menuId : undefined}
                onClick={() => setOpen(!open)}
            >
                ⋯
            </button>
            {open ? (
                <ul ref={menu} id={menuId} className="dn-menu" role="menu" aria-label={item.title} onKeyDown={onKeyDown}>
                    {item.read ? null : (
                        <li role="none">
                            <button type="button" role="menuitem" tabIndex={-1} onClick={() => choose(onMarkRead)}>
                                Mark as read
                            </button>
                        </li>
                    )}
                    <li role="none">
                        <button type="button" role="menuitem" tabIndex={-1} onClick={() => choose(onDismiss)}>
                            Dismiss
                        </button>
                    </li>
                </ul>
            ) : null}
        </div>
    );
}

ItemMenu.propTypes = {
    item: PropTypes.object.isRequired,
    onMarkRead: PropTypes.func.isRequired,
    onDismiss: PropTypes.func.isRequired,
};

// Memoized: a new notification renders its own item, not the hundreds already listed.
const Item = memo(function Item({item, now, onClick, onMarkRead, onDismiss}) {
    const absolute = absoluteTime(item.timestamp);
    return (
        <li
            className="dn-item"
            data-severity={item.severity}
            data-read={String(item.read)}
            data-id={item.id}
            dir={item.dir}
            lang={item.lang || undefined}
        >
            <button type="button" className="dn-main" onClick={() => onClick(item, null)}>
                <Icon item={item} />
                <span className="dn-text">
                    <span className="dn-title">{item.title}</span>
                    {item.body ? <span className="dn-body">{item.body}</span> : null}
                    <span className="dn-meta">
                        <span className="dn-sev">{severityLabel(item.severity)}</span>
                        {item.type === 'Alert' ? ' · Alert' : ''}
                        {item.source ? ` · ${item.source}` : ''}
                        <Category item={item} />
                        {' · '}
                        <time dateTime={new Date(item.timestamp).toISOString()} title={absolute}>
                            <span aria-hidden="true">{relativeTime(item.timestamp, now)}</span>
                            <span className="dn-sr">{absolute}</span>
                        </time>
                    </span>
                </span>
                {item.read ? null : (
                    <span className="dn-dot">
                        <span className="dn-sr">, unread</span>
                    </span>
                )}
            </button>
            <Actions item={item} onClick={action => onClick(item, action)} />
            <ItemMenu item={item} onMarkRead={() => onMarkRead(item)} onDismiss={() => onDismiss(item)} />
        </li>
    );
});

Item.propTypes = {
    item: PropTypes.object.isRequired,
    now: PropTypes.number.isRequired,
    onClick: PropTypes.func.isRequired,
    onMarkRead: PropTypes.func.isRequired,
    onDismiss: PropTypes.func.isRequired,
};

/**
 * The center's panel: search, filters (segmented controls), the notifications grouped
 * by day with relative times and unread dots, a menu per item, an empty state, and
 * "Load more" from the hub's stored history when there is one. Loaded on demand, the
 * first time the bell is pressed.
 */
export default function CenterPanel({
    id,
    items,
    more,
    onLoadMore,
    onClick,
    onMarkRead,
    onDismiss,
    onMarkAllRead,
    onClear,
    onClose,
    onSettings = null,
}) {
    const [show, setShow] = useState('all');
    const [severity, setSeverity] = useState('all');
    const [category, setCategory] = useState('all');
    const [query, setQuery] = useState('');
    const [now, setNow] = useState(() => Date.now());
    const panel = useRef(null);
    const names = useId();

    useLayoutEffect(() => addCss('center', PANEL_CSS), []);
    useEffect(() => {
        panel.current.focus();
        const timer = setInterval(() => setNow(Date.now()), TICK_MS);
        return () => clearInterval(timer);
    }, []);

    const unread = items.filter(item => !item.read).length;
    const shown = items.filter(
        item =>
            (show === 'all' || !item.read) &&
            (severity === 'all' || item.severity === severity) &&
            (category === 'all' || item.category === category) &&
            matchesQuery(item, query)
    );
    const filtered = show !== 'all' || severity !== 'all' || category !== 'all' || query.trim() !== '';
    const categories = categoryOptions(items, category);

    return (
        <div
            ref={panel}
            id={id}
            className="dn-center"
            role="dialog"
            aria-label="Notification center"
            tabIndex={-1}
            onKeyDown={event => {
                if (event.key === 'Escape') {
                    event.preventDefault();
                    onClose();
                }
            }}
        >
            <div className="dn-center-head">
                <h2>Notifications</h2>
                <button type="button" className="dn-link" onClick={onMarkAllRead} disabled={!unread}>
                    Mark all read
                </button>
                <button type="button" className="dn-link" onClick={onClear} disabled={!items.length}>
                    Clear all
                </button>
                {onSettings ? <SettingsButton onClick={onSettings} /> : null}
            </div>
            <input
                type="search"
                className="dn-search"
                placeholder="Search"
                aria-label="Search notifications"
                value={query}
                onChange={event => setQuery(event.target.value)}
            />
            <div className="dn-filters">
                <Segmented label="Show" name={`${names}-show`} options={SHOW} value={show} onChange={setShow} />
                <Segmented
                    label="Severity"
                    name={`${names}-severity`}
                    options={SEVERITY_FILTERS}
                    value={severity}
                    onChange={setSeverity}
                />
                {categories.length > 1 ? (
                    <Segmented
                        label="Category"
                        name={`${names}-category`}
                        options={categories}
                        value={category}
                        onChange={setCategory}
                    />
                ) : null}
            </div>
            <p className="dn-sr" role="status">
                {filtered ? `${shown.length} of ${items.length} notifications shown` : ''}
            </p>
            {shown.length ? (
                groupByDay(shown, now).map(([day, list]) => (
                    <section key={day} aria-label={day}>
                        <h3 className="dn-day">{day}</h3>
                        <ol>
                            {list.map(item => (
                                <Item
                                    key={item.id}
                                    item={item}
                                    now={now}
                                    onClick={onClick}
                                    onMarkRead={onMarkRead}
                                    onDismiss={onDismiss}
                                />
                            ))}
                        </ol>
                    </section>
                ))
            ) : (
                <div className="dn-empty">
                    <svg aria-hidden="true" width="32" height="32" viewBox="0 0 24 24" fill="currentColor">
                        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
                    </svg>
                    <p>{filtered ? 'Nothing matches these filters.' : 'No notifications yet.'}</p>
                    {filtered ? null : <p className="dn-muted">New ones will appear here.</p>}
                </div>
            )}
            {onLoadMore && more !== 'none' ? (
                <button type="button" className="dn-more" onClick={onLoadMore} disabled={more === 'loading'}>
                    {more === 'loading' ? 'Loading…' : 'Load more'}
                </button>
            ) : null}
        </div>
    );
}

CenterPanel.propTypes = {
    id: PropTypes.string.isRequired,
    items: PropTypes.arrayOf(PropTypes.object).isRequired,
    /** "some": there may be more on the server; "loading"; "none". */
    more: PropTypes.oneOf(['some', 'loading', 'none']).isRequired,
    onLoadMore: PropTypes.func,
    onClick: PropTypes.func.isRequired,
    onMarkRead: PropTypes.func.isRequired,
    onDismiss: PropTypes.func.isRequired,
    onMarkAllRead: PropTypes.func.isRequired,
    onClear: PropTypes.func.isRequired,
    onClose: PropTypes.func.isRequired,
    /** Opens the settings view (none: no settings button). */
    onSettings: PropTypes.func,
};
