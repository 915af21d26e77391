/** Ids of hub notifications in the center: "hub:<message id>". */

export const HUB_PREFIX = 'hub:';

/** The center's id for hub notification `id`. */
export const hubItemId = id => `${HUB_PREFIX}${id}`;

/** The hub's id for a center item id, or null when it is not from the hub. */
export function hubMessageId(itemId) {
    return typeof itemId === 'string' && itemId.startsWith(HUB_PREFIX) ? Number(itemId.slice(HUB_PREFIX.length)) : null;
}

/**
 * A hub message's options as they are shown: without a tag of their own they get one
 * from the id, so that the app's tabs (and a push of the same message) show one
 * desktop popup for it, not one each.
 */
export const hubOptions = m => (m.options.tag ? m.options : {...m.options, tag: hubItemId(m.id)});
