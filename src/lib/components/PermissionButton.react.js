import React, {useEffect, useState} from 'react';
import PropTypes from 'prop-types';

import {readPermission, requestPermission, watchPermission} from '../desktop/permission.js';

/**
 * A button that asks the person for permission to show desktop notifications. Browsers
 * only prompt from a real user gesture, such as this button's click. It is enabled while
 * the permission is undecided ("default") and otherwise shows the decision.
 */
export default function PermissionButton({
    id,
    setProps,
    children = 'Enable desktop notifications',
    grantedLabel = 'Desktop notifications are on',
    deniedLabel = 'Desktop notifications are blocked in the browser settings',
    unsupportedLabel = 'Desktop notifications are not supported in this browser',
    n_clicks = 0,
    className = undefined,
    style = undefined,
}) {
    const [permission, setPermission] = useState(readPermission);

    useEffect(() => {
        const update = current => {
            setPermission(current);
            if (setProps) {
                setProps({permission: current});
            }
        };
        update(readPermission());
        return watchPermission(update);
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, []);

    const labels = {
        default: children,
        granted: grantedLabel,
        denied: deniedLabel,
        unsupported: unsupportedLabel,
    };

    return (
        <button
            id={id}
            type="button"
            className={className}
            style={style}
            disabled={permission !== 'default'}
            data-permission={permission}
            onClick={() => {
                if (setProps) {
                    setProps({n_clicks: n_clicks + 1});
                }
                requestPermission();
            }}
        >
            {labels[permission]}
        </button>
    );
}

PermissionButton.propTypes = {
    /** The ID used to identify this component in Dash callbacks. */
    id: PropTypes.string,

    /** The label while the permission is undecided ("default"). */
    children: PropTypes.node,

    /** The label once notifications are allowed. */
    grantedLabel: PropTypes.node,

    /** The label once notifications are blocked. */
    deniedLabel: PropTypes.node,

    /** The label where desktop notifications are not supported. */
    unsupportedLabel: PropTypes.node,

    /** Read-only: the current permission. */
    permission: PropTypes.oneOf(['default', 'granted', 'denied', 'unsupported']),

    /** How many times the button was clicked. */
    n_clicks: PropTypes.number,

    /** CSS class of the button. */
    className: PropTypes.string,

    /** Inline style of the button. */
    style: PropTypes.object,

    /** Dash-assigned callback that should be called to report property changes. */
    setProps: PropTypes.func,
};
