import React, {Suspense, lazy, useId, useRef, useState} from 'react';
import PropTypes from 'prop-types';

export const badgeText = unread => (unread > 9 ? '9+' : String(unread));

// The panel is a chunk of its own (async-center.js), fetched the first time it is
// wanted: pages that never open the center do not load it.
const loadPanel = () => import(/* webpackChunkName: "center" */ './CenterViews.react.js');
const CenterPanel = lazy(loadPanel);

/**
 * The notification center: a bell with the unread count that opens the panel (see
 * CenterPanel). Escape closes the panel and gives the focus back to the bell; a press
 * outside closes it too (CenterViews, in the panel's chunk). The panel's code is fetched
 * when the pointer or the focus reaches the bell, so that it is usually there by the press.
 */
export default function Center({items, more, onLoadMore, preferences, onClick, onMarkRead, onDismiss, onMarkAllRead, onClear}) {
    const [open, setOpen] = useState(false);
    const bell = useRef(null);
    const panelId = useId();

    const unread = items.filter(item => !item.read).length;
    const close = () => {
        setOpen(false);
        if (bell.current) {
            bell.current.focus();
        }
    };
    const preload = () => {
        loadPanel().catch(() => {});
    };

    return (
        <div className="dn-center-root">
            <button
                ref={bell}
                type="button"
                className="dn-bell"
                aria-label={`Notifications, ${unread} unread`}
                aria-expanded={open}
                aria-controls={open ? panelId : undefined}
                onPointerEnter={preload}
                onFocus={preload}
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
                <Suspense fallback={<div className="dn-center" role="status" aria-label="Loading notifications" />}>
                    <CenterPanel
                        id={panelId}
                        items={items}
                        more={more}
                        onLoadMore={onLoadMore}
                        preferences={preferences}
                        onClick={onClick}
                        onMarkRead={onMarkRead}
                        onDismiss={onDismiss}
                        onMarkAllRead={onMarkAllRead}
                        onClear={onClear}
                        onClose={close}
                        onOutside={() => setOpen(false)}
                    />
                </Suspense>
            ) : null}
        </div>
    );
}

Center.propTypes = {
    items: PropTypes.arrayOf(PropTypes.object).isRequired,
    more: PropTypes.string.isRequired,
    onLoadMore: PropTypes.func,
    /** Offer the settings view (the user's preferences on the hub). */
    preferences: PropTypes.bool,
    onClick: PropTypes.func.isRequired,
    onMarkRead: PropTypes.func.isRequired,
    onDismiss: PropTypes.func.isRequired,
    onMarkAllRead: PropTypes.func.isRequired,
    onClear: PropTypes.func.isRequired,
};
