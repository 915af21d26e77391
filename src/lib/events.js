/**
 * Hands props to Dash. The event props (shownData, closedData, errorData: lists of
 * entries) are spaced out. Dash runs a callback with a prop's latest value and, when
 * that prop changes again while the callback is still running, drops the running
 * call's result (dash-renderer prunes executing duplicates): two updates close together
 * would reach a callback as one, and the first list would be lost. Entries arriving
 * within `spacing` ms of the last update are held and delivered together in the next
 * one; other props go to Dash at once.
 */

export const EVENT_PROPS = ['shownData', 'closedData', 'errorData'];

export function createEmitter(setProps, {spacing = 250, now = () => performance.now()} = {}) {
    let pending = {};
    let lastFlush = -Infinity;
    let timer = null;

    const flush = () => {
        timer = null;
        lastFlush = now();
        const props = pending;
        pending = {};
        if (Object.keys(props).length) {
            setProps(props);
        }
    };

    return function emit(props) {
        const direct = {};
        let events = false;
        for (const [name, value] of Object.entries(props)) {
            if (EVENT_PROPS.includes(name)) {
                pending[name] = [...(pending[name] || []), ...value];
                events = true;
            } else {
                direct[name] = value;
            }
        }
        if (Object.keys(direct).length) {
            setProps(direct);
        }
        if (events && timer === null) {
            const wait = lastFlush + spacing - now();
            if (wait <= 0) {
                flush();
            } else {
                timer = setTimeout(flush, wait);
            }
        }
    };
}
