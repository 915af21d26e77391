import React, {useCallback, useEffect, useRef, useState} from 'react';
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

/**
 * The toasts on screen, in one list, with the two live regions that announce them
 * (polite, and assertive for Critical notifications and Alerts). The live regions are
 * always mounted, so that screen readers pick up what is put in them. The hotkey moves
 * focus to the toasts; Escape gives it back. Auto-close pauses while the pointer or the
 * focus is on the toasts, the window is in the background or the tab is hidden.
 */
export default function Toasts({visible, position, hotkey, durationOf, onClick, onClose}) {
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
                const first = region.current.querySelector('button');
                (first || region.current).focus();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [hotkey]);

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
                {visible.map(item => (
                    <Toast
                        key={item.key || item.id}
                        item={item}
                        duration={durationOf(item)}
                        paused={paused}
                        onClick={action => onClick(item, action)}
                        onClose={reason => onClose(item, reason)}
                    />
                ))}
            </ol>
        </section>
    );
}

Toasts.propTypes = {
    visible: PropTypes.arrayOf(PropTypes.object).isRequired,
    position: PropTypes.string.isRequired,
    hotkey: PropTypes.string.isRequired,
    durationOf: PropTypes.func.isRequired,
    onClick: PropTypes.func.isRequired,
    onClose: PropTypes.func.isRequired,
};
