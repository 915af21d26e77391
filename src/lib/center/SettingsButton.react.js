import React from 'react';
import PropTypes from 'prop-types';

/** The center header's button that opens the settings view (the user's preferences). */
export function SettingsButton({onClick}) {
    return (
        <button
            type="button"
            className="dn-link dn-settings-btn"
            aria-label="Notification settings"
            title="Notification settings"
            onClick={onClick}
        >
            <svg
                aria-hidden="true"
                width="16"
                height="16"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
            >
                <path d="M4 6h9M19 6h1M4 12h3M13 12h7M4 18h11M21 18h-0" />
                <circle cx="16" cy="6" r="2.5" />
                <circle cx="10" cy="12" r="2.5" />
                <circle cx="18" cy="18" r="2.5" />
            </svg>
        </button>
    );
}

SettingsButton.propTypes = {onClick: PropTypes.func.isRequired};
