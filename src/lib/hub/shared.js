/**
 * One event stream for all of a browser's tabs of the app. Browsers allow six HTTP/1.1
 * connections per host, and each stream holds one: with a stream per tab, a seventh tab
 * would stall. The tab holding a Web Lock named after the app is the leader: it opens the
 * stream and passes what arrives to the other tabs on a BroadcastChannel. When it
 * closes, the lock goes to another tab, which resumes the stream after the last
 * notification it saw, so no tab misses one or sees one twice. Without Web Locks or
 * BroadcastChannel each tab opens its own stream.
 */

import {connectHub} from './connection.js';
import {randomId} from '../ids.js';

export function shareHub(root, handlers) {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (typeof BroadcastChannel === 'undefined' || !locks) {
        return connectHub(root, handlers);
    }
    const name = `dash_notify:hub:${root}`;
    const channel = new BroadcastChannel(name);
    const tab = randomId();
    let lastId = null;
    let leading = null; // {hello, cursor, status, close} while this tab leads
    let stopLeading = null;
    let closed = false;

    // Every tab, leader included, takes each notification and close once, in id order
    // (they share one sequence of ids).
    const take = (kind, message) => {
        if (lastId === null || message.id > lastId) {
            lastId = message.id;
            (kind === 'close' ? handlers.onClose : handlers.onNotification)(message);
        }
    };
    // The stream continues after `cursor`: every tab takes what follows it (lower than
    // before when the server's log started over).
    const hello = (data, cursor) => {
        if (cursor !== null) {
            lastId = cursor;
        }
        handlers.onHello(data);
    };

    channel.onmessage = ({data}) => {
        if (data.type === 'notification' || data.type === 'close') {
            take(data.type, data.message);
        } else if (data.type === 'seen') {
            handlers.onSeen(data.ids, data.upto);
        } else if (data.type === 'status') {
            handlers.onStatus(data.status);
        } else if (data.type === 'hello' && (data.for === null || data.for === tab)) {
            handlers.onStatus(data.status);
            hello(data.hello, data.cursor);
        } else if (data.type === 'join' && leading && leading.hello) {
            channel.postMessage({type: 'hello', for: data.tab, ...leading});
        }
    };

    handlers.onStatus('connecting');
    locks.request(name, () => {
        if (closed) {
            return undefined;
        }
        return new Promise(release => {
            leading = {hello: null, cursor: null, status: 'connecting'};
            const close = connectHub(
                root,
                {
                    onHello: (data, cursor) => {
                        Object.assign(leading, {hello: data, cursor, status: 'connected'});
                        channel.postMessage({type: 'hello', for: null, ...leading});
                        hello(data, cursor);
                    },
                    onNotification: message => {
                        channel.postMessage({type: 'notification', message});
                        take('notification', message);
                    },
                    onClose: message => {
                        channel.postMessage({type: 'close', message});
                        take('close', message);
                    },
                    onSeen: (ids, upto) => {
                        channel.postMessage({type: 'seen', ids, upto});
                        handlers.onSeen(ids, upto);
                    },
                    onStatus: status => {
                        leading.status = status;
                        channel.postMessage({type: 'status', status});
                        handlers.onStatus(status);
                    },
                },
                lastId
            );
            stopLeading = () => {
                close();
                leading = null;
                release();
            };
        });
    });
    // A tab that opens while another leads asks the leader for the stream's state.
    channel.postMessage({type: 'join', tab});

    return () => {
        closed = true;
        if (stopLeading) {
            stopLeading();
        }
        channel.close();
    };
}
