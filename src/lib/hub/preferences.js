/**
 * The user's delivery preferences on the hub (`_dash_notify/preferences`), for the
 * center's settings view: read with GET, changed with PATCH. Both answer
 * {user, preferences, channels, categories, required, modes}.
 */

import {request} from './connection.js';

/** The requesting user's preferences and what the settings view needs. */
export function fetchPreferences(root) {
    return request(root, 'preferences', {cache: 'no-store'});
}

/** Changes some of the user's preferences (`changes`: a sparse document). */
export function patchPreferences(root, changes) {
    return request(root, 'preferences', {
        method: 'PATCH',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(changes),
    });
}
