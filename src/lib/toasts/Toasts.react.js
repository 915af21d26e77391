import React, {useCallback, useEffect, useLayoutEffect, useRef, useState} from 'react';
import PropTypes from 'prop-types';

import Toast, {severityLabel} from './Toast.react.js';

/** "Alt+T" -> a test for keydown events. */
export function parseHotkey(hotkey) {
    const parts = hotkey.split('+').map(part => part.trim().toLowerCase());
    const key = parts.pop();
    return event =>
        event.altKey === parts.includes('alt') &&
        event.ctrlKey === parts.includes('ctrl') &&
        event.shiftKey === parts.includes('shift') &&
        event.metaKey === parts.includes('meta') &&
        (event.key.toLowerCase() === key || event.code.toLowerCase() === `key${key}`);
}

const assertive = item => item.severity === 'Critical' || item.type === 'Alert';

function announcement(item) {
    return `${severityLabel(item.severity)}${item.type === 'Alert' ? ' alert' : ''}: ${item.title}${
        item.body ? `. ${item.body}` : ''
    }`;
}

// Dash's dev tools bar (debug mode), fixed at the bottom right of the page.
const DEVTOOLS_BAR = '.dash-debug-menu__outer';
const EDGE_PX = 16;

/**
 * The distance from the bottom of the window that keeps toasts clear of Dash's dev
 * tools bar when it is there.
 */
function bottomOffset() {
    const bar = document.querySelector(DEVTOOLS_BAR);
    if (!bar) {
        return EDGE_PX;
    }
    const top = bar.getBoundingClientRect().top;
    return Math.max(EDGE_PX, window.innerHeight - top + 12);
}

/**
 * The toasts on screen, in one list, with the two live regions that announce them
 * (polite, and assertive for Critical notifications and Alerts). The live regions are
 * always mounted, so that screen readers pick up what is put in them. The hotkey moves
 * focus to the toasts; Escape gives it back. Auto-close pauses while the pointer or the
 * focus is on the toasts, the window is in the background or the tab is hidden.
 */
export default function Toasts({visible, position, stacked, hotkey, durationOf, onClick, onClose}) {
    const [announced, setAnnounced] = useState({polite: '', assertive: ''});
    const [hovered, setHovered] = useState(false);
    const [focused, setFocused] = useState(false);
    const [away, setAway] = useState(
        () => document.visibilityState === 'hidden' || !document.hasFocus()
    );
    const region = useRef(null);
    const returnFocus = useRef(null);
    const seen = useRef(new Set());

    useEffect(() => {
        // Announced once each; an update by tag (same key) is not announced again. Only
        // the toasts on screen are remembered: a toast that left never comes back.
        const keyOf = item => item.key || item.id;
        const fresh = visible.filter(item => !seen.current.has(keyOf(item)));
        seen.current = new Set(visible.map(keyOf));
        if (!fresh.length) {
            return;
        }
        const polite = fresh.filter(item => !assertive(item)).map(announcement).join('\n');
        const loud = fresh.filter(assertive).map(announcement).join('\n');
        setAnnounced(previous => ({
            polite: polite || previous.polite,
            assertive: loud || previous.assertive,
        }));
    }, [visible]);

    useEffect(() => {
        const update = () => setAway(document.visibilityState === 'hidden' || !document.hasFocus());
        window.addEventListener('blur', update);
        window.addEventListener('focus', update);
        document.addEventListener('visibilitychange', update);
        return () => {
            window.removeEventListener('blur', update);
            window.removeEventListener('focus', update);
            document.removeEventListener('visibilitychange', update);
        };
    }, []);

    useEffect(() => {
        const matches = parseHotkey(hotkey);
        const onKey = event => {
            if (matches(event) && region.current) {
                event.preventDefault();
                returnFocus.current = document.activeElement;
                // Stacked, only the front (newest) toast can take the focus until they spread.
                const host = stacked ? region.current.lastElementChild : region.current;
                const first = host && host.querySelector('button');
                (first || region.current).focus();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [hotkey, stacked]);

    const onKeyDown = useCallback(event => {
        if (event.key === 'Escape' && returnFocus.current) {
            event.preventDefault();
            const target = returnFocus.current;
            returnFocus.current = null;
            if (target && typeof target.focus === 'function') {
                target.focus();
            }
        }
    }, []);

    const paused = hovered || focused || away;
    // Stacked: one card in front and the others tucked behind it, until the pointer or
    // the focus is on them.
    const collapsed = stacked && !hovered && !focused && visible.length > 1;

    useLayoutEffect(() => {
        const list = region.current;
        if (!list) {
            return;
        }
        list.style.setProperty('--dn-bottom', `${bottomOffset()}px`);
        // Reading a height forces a layout inside this commit: only the collapsed stack,
        // which sizes the cards behind to the front one, needs it.
        const front = collapsed && list.lastElementChild;
        if (front) {
            list.style.setProperty('--dn-front-h', `${front.offsetHeight}px`);
        } else {
            list.style.removeProperty('--dn-front-h');
        }
    }, [visible, collapsed]);

    return (
        <section aria-label={`Notifications ${hotkey}`}>
            <div className="dn-sr" role="status" aria-live="polite" aria-atomic="true">
                {announced.polite}
            </div>
            <div className="dn-sr" role="alert" aria-live="assertive" aria-atomic="true">
                {announced.assertive}
            </div>
            <ol
                ref={region}
                className="dn-region"
                data-position={position}
                data-stacked={stacked ? (collapsed ? 'collapsed' : 'expanded') : undefined}
                tabIndex={-1}
                onMouseEnter={() => setHovered(true)}
                onMouseLeave={() => setHovered(false)}
                onFocus={() => setFocused(true)}
                onBlur={event => {
                    if (!event.currentTarget.contains(event.relatedTarget)) {
                        setFocused(false);
                    }
                }}
                onKeyDown={onKeyDown}
            >
                {visible.map((item, index) => (
                    <Toast
                        key={item.key || item.id}
                        depth={stacked ? visible.length - 1 - index : 0}
                        item={item}
                        duration={durationOf(item)}
                        paused={paused}
                        onClick={onClick}
                        onClose={onClose}
                    />
                ))}
            </ol>
        </section>
    );
}

Toasts.propTypes = {
    visible: PropTypes.arrayOf(PropTypes.object).isRequired,
    position: PropTypes.string.isRequired,
    stacked: PropTypes.bool.isRequired,
    hotkey: PropTypes.string.isRequired,
    durationOf: PropTypes.func.isRequired,
    onClick: PropTypes.func.isRequired,
    onClose: PropTypes.func.isRequired,
};
