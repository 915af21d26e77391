/**
 * Which image URLs are safe to load (icon, badge, image): the twin of
 * schema_validator.py's check, used by the validator and by the toasts at render time.
 */

const SAFE_SCHEMES = ['http', 'https', 'blob'];
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const URL_IGNORED = /[\t\n\r]/g;
// eslint-disable-next-line no-control-regex
const LEADING_IGNORED = /^[\x00-\x20]+/;

/** True for a relative, http(s), blob: or data:image/ URL (not data:image/svg). */
export function isSafeUrl(url) {
    const cleaned = url.replace(URL_IGNORED, '').replace(LEADING_IGNORED, '');
    const match = SCHEME.exec(cleaned);
    if (!match) {
        return true;
    }
    const scheme = match[1].toLowerCase();
    if (scheme === 'data') {
        const rest = cleaned.slice(5).toLowerCase();
        return rest.startsWith('image/') && !rest.startsWith('image/svg');
    }
    return SAFE_SCHEMES.includes(scheme);
}
