/**
 * The hub client, a chunk of its own (async-hub.js) that the Notifications component
 * loads only when its `hub` prop is on (and the center's settings view when opened).
 */

export {shareHub} from './shared.js';
export {fetchHistory, postClicked, postSeen} from './connection.js';
export {fetchPreferences, patchPreferences} from './preferences.js';
export {openEmailed} from './email.js';
