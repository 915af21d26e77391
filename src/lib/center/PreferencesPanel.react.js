import React, {useEffect, useId, useLayoutEffect, useRef, useState} from 'react';
import PropTypes from 'prop-types';

import {Segmented} from './CenterPanel.react.js';
import {PREFERENCES_CSS} from './preferencesStyles.js';
import {addCss} from '../styles.js';
import {appRoot} from '../desktop/registration.js';
import {CHANNEL_LABELS, MODE_HINTS, MODE_LABELS, changeAt, valueAt, rowsOf} from './preferences.js';

// The hub client's chunk (async-hub.js, already loaded when `hub` is on).
const loadClient = () => import(/* webpackChunkName: "hub" */ '../hub/client.js');

/** A switch: a real button with role="switch"; a locked one stays focusable and says why. */
function Switch({checked, locked, label, describedBy, onChange}) {
    return (
        <button
            type="button"
            role="switch"
            className="dn-switch"
            aria-checked={checked}
            aria-label={label}
            aria-disabled={locked || undefined}
            aria-describedby={describedBy}
            onClick={locked ? undefined : () => onChange(!checked)}
        >
            <span className="dn-knob" aria-hidden="true" />
        </button>
    );
}

Switch.propTypes = {
    checked: PropTypes.bool.isRequired,
    locked: PropTypes.bool,
    label: PropTypes.string.isRequired,
    describedBy: PropTypes.string,
    onChange: PropTypes.func.isRequired,
};

/**
 * The center's settings view: the user's delivery preferences on the hub, read fresh
 * each time it opens (GET `_dash_notify/preferences`), a row of channel switches for
 * all notifications, for each category and (locked) for Critical and required
 * categories, and the email mode. A change shows at once and is saved with PATCH; when
 * the hub refuses it, it is rolled back and the reason shown. Escape and "Back" return
 * to the notifications.
 */
export default function PreferencesPanel({id, onBack}) {
    const [data, setData] = useState(null);
    const [problem, setProblem] = useState(null); // {loading: bool, message}
    const [note, setNote] = useState('');
    const [attempt, setAttempt] = useState(0);
    const pending = useRef(0);
    const panel = useRef(null);
    const ids = useId();

    useLayoutEffect(() => addCss('preferences', PREFERENCES_CSS), []);
    useEffect(() => {
        panel.current.focus();
    }, []);
    useEffect(() => {
        let live = true;
        loadClient()
            .then(client => client.fetchPreferences(appRoot()))
            .then(answer => live && setData(answer))
            .catch(error => live && setProblem({loading: true, message: error.message}));
        return () => {
            live = false;
        };
    }, [attempt]);

    // Shown at once; the hub's answer replaces it once no other change is under way
    // (a change of "All notifications" changes the categories that follow it).
    const save = (path, value) => {
        const before = valueAt(data.preferences, path);
        setData(current => ({...current, preferences: changeAt(current.preferences, path, value)}));
        setProblem(null);
        setNote('Saving…');
        pending.current += 1;
        loadClient()
            .then(client => client.patchPreferences(appRoot(), changeAt({}, path, value)))
            .then(answer => {
                pending.current -= 1;
                if (!pending.current) {
                    setData(answer);
                    setNote('Saved');
                }
            })
            .catch(error => {
                pending.current -= 1;
                setData(current => ({...current, preferences: changeAt(current.preferences, path, before)}));
                setNote('');
                setProblem({loading: false, message: error.message});
            });
    };

    const rows = data ? rowsOf(data) : [];
    const channels = data ? data.channels : [];
    return (
        <div
            ref={panel}
            id={id}
            className="dn-center dn-prefs"
            role="dialog"
            aria-labelledby={`${ids}-title`}
            tabIndex={-1}
            onKeyDown={event => {
                if (event.key === 'Escape') {
                    event.preventDefault();
                    onBack();
                }
            }}
        >
            <div className="dn-center-head">
                <button type="button" className="dn-link dn-back" onClick={onBack}>
                    <span aria-hidden="true">← </span>Back
                </button>
                <h2 id={`${ids}-title`}>Notification settings</h2>
            </div>
            {problem ? (
                <p className="dn-pref-error" role="alert">
                    {problem.loading ? 'Could not load your settings' : 'Could not save that change'}: {problem.message}
                    {problem.loading ? (
                        <button
                            type="button"
                            className="dn-link"
                            onClick={() => {
                                setProblem(null);
                                setAttempt(attempt + 1);
                            }}
                        >
                            Retry
                        </button>
                    ) : null}
                </p>
            ) : null}
            {data ? (
                <>
                    <div className="dn-pref-table" style={{'--dn-cols': channels.length}}>
                        <div className="dn-pref-row dn-pref-cols" aria-hidden="true">
                            <span />
                            {channels.map(channel => (
                                <span key={channel}>{CHANNEL_LABELS[channel] || channel}</span>
                            ))}
                        </div>
                        {rows.map(row => {
                            const rowId = `${ids}-row-${row.key}`;
                            const whyId = `${ids}-why-${row.key}`;
                            return (
                                <div
                                    key={row.key}
                                    className="dn-pref-row"
                                    role="group"
                                    aria-labelledby={rowId}
                                    data-row={row.name === null ? '' : row.name}
                                    data-locked={row.reason ? 'true' : undefined}
                                >
                                    <span className="dn-pref-name">
                                        <span id={rowId}>{row.label}</span>
                                        {row.reason || row.hint ? (
                                            <span id={whyId} className="dn-pref-why">
                                                {row.reason || row.hint}
                                            </span>
                                        ) : null}
                                    </span>
                                    {channels.map(channel => (
                                        <Switch
                                            key={channel}
                                            checked={row.values[channel] !== false}
                                            locked={Boolean(row.reason)}
                                            label={`${CHANNEL_LABELS[channel] || channel} for ${row.label}`}
                                            describedBy={row.reason ? whyId : undefined}
                                            onChange={on => save([...row.path, channel], on)}
                                        />
                                    ))}
                                </div>
                            );
                        })}
                    </div>
                    <div className="dn-pref-mode">
                        <span className="dn-pref-name" aria-hidden="true">
                            Email mode
                        </span>
                        <Segmented
                            label="Email mode"
                            name={`${ids}-mode`}
                            options={data.modes.map(mode => [mode, MODE_LABELS[mode] || mode])}
                            value={data.preferences.email}
                            onChange={mode => save(['email'], mode)}
                        />
                        <p className="dn-pref-why">
                            Email: {MODE_HINTS[data.preferences.email] || data.preferences.email}
                        </p>
                    </div>
                </>
            ) : problem ? null : (
                <p className="dn-muted" role="status">
                    Loading…
                </p>
            )}
            <p className="dn-sr" role="status">
                {note}
            </p>
        </div>
    );
}

PreferencesPanel.propTypes = {
    id: PropTypes.string.isRequired,
    onBack: PropTypes.func.isRequired,
};
