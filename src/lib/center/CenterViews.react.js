import React, {useEffect, useRef, useState} from 'react';
import PropTypes from 'prop-types';

import CenterPanel from './CenterPanel.react.js';
import PreferencesPanel from './PreferencesPanel.react.js';

/**
 * The center chunk's entry: the list of notifications (CenterPanel) and, with
 * `preferences`, the settings view that its header's button opens. The list stays
 * mounted (hidden) meanwhile, so its filters and search are kept; "Back" and Escape
 * return to it, with the focus on the settings button. A press outside the center
 * closes it (`onOutside`).
 */
export default function CenterViews({id, preferences = false, onClose, onOutside, ...list}) {
    const [settings, setSettings] = useState(false);
    const listRoot = useRef(null);
    const returned = useRef(false);

    // A press outside the center (the bell and the panel) closes the panel.
    useEffect(() => {
        const onPress = event => {
            const root = listRoot.current && listRoot.current.closest('.dn-center-root');
            if (root && !root.contains(event.target)) {
                onOutside();
            }
        };
        document.addEventListener('mousedown', onPress);
        return () => document.removeEventListener('mousedown', onPress);
    }, [onOutside]);
    useEffect(() => {
        if (!settings && returned.current) {
            returned.current = false;
            const button = listRoot.current && listRoot.current.querySelector('.dn-settings-btn');
            if (button) {
                button.focus();
            }
        }
    }, [settings]);

    const back = () => {
        returned.current = true;
        setSettings(false);
    };
    return (
        <>
            <div ref={listRoot} hidden={settings}>
                <CenterPanel
                    {...list}
                    id={settings ? `${id}-list` : id}
                    onClose={onClose}
                    onSettings={preferences ? () => setSettings(true) : null}
                />
            </div>
            {settings ? <PreferencesPanel id={id} onBack={back} /> : null}
        </>
    );
}

CenterViews.propTypes = {
    id: PropTypes.string.isRequired,
    preferences: PropTypes.bool,
    onClose: PropTypes.func.isRequired,
    onOutside: PropTypes.func.isRequired,
};
