/**
 * The hub client, a chunk of its own (async-hub.js) that the Notifications component
 * loads only when its `hub` prop is on.
 */

export {shareHub} from './shared.js';
export {fetchHistory, postClicked, postSeen} from './connection.js';
