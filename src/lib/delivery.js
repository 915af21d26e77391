/**
 * How one notification is delivered, from the component's `delivery` mode, the
 * notification's options and the desktop permission.
 *
 * - "auto": a desktop notification when permission is granted, else an in-page toast.
 * - "desktop": desktop only (nothing on screen without permission).
 * - "toast": in-page toast only.
 * - "both": a toast, and a desktop notification too when permission is granted.
 * `showToast: false` sends it to the notification center only, whatever the mode.
 */

export function plan(mode, options, permission) {
    const granted = permission === 'granted';
    const refused = granted ? null : permission === 'unsupported' ? permission : `permission-${permission}`;
    if (options.showToast === false) {
        return {desktop: false, toast: false, reason: null};
    }
    switch (mode) {
        case 'desktop':
            return {desktop: granted, toast: false, reason: refused};
        case 'toast':
            return {desktop: false, toast: true, reason: null};
        case 'both':
            return {desktop: granted, toast: true, reason: null};
        default:
            return {desktop: granted, toast: !granted, reason: null};
    }
}

/** The name of what was used, for shownData: "desktop", "toast", "both", "center" or null. */
export function deliveryName({desktop, toast}, options) {
    if (desktop && toast) {
        return 'both';
    }
    if (desktop) {
        return 'desktop';
    }
    if (toast) {
        return 'toast';
    }
    return options.showToast === false ? 'center' : null;
}
