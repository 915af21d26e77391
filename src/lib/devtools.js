import {useCallback} from 'react';

/**
 * Reporting problems where a Dash developer looks: the browser console always, and Dash's
 * dev tools error list in debug mode (Dash >= 3 exposes its store through
 * window.dash_component_api.useDashContext). The report never throws.
 */

function useDashStore() {
    const api = typeof window !== 'undefined' ? window.dash_component_api : undefined;
    if (!api || typeof api.useDashContext !== 'function') {
        return null;
    }
    // The same branch is taken on every render of a page, so hook order is stable.
    const context = api.useDashContext();
    return context && typeof context.useStore === 'function' ? context.useStore() : null;
}

/** A hook returning a stable `report(message)`. */
export function useDevtoolsErrors() {
    const store = useDashStore();
    return useCallback(message => {
        if (store) {
            try {
                // Dash's reducer logs the error to the console and lists it in the dev tools.
                store.dispatch({type: 'ON_ERROR', payload: {type: 'frontEnd', error: new Error(message)}});
                return;
            } catch {
                // fall through to the console
            }
        }
        console.error(message);
    }, [store]);
}
