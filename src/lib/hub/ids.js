/** Ids of hub notifications in the center: "hub:<message id>". */

export const HUB_PREFIX = 'hub:';

/** The center's id for hub notification `id`. */
export const hubItemId = id => `${HUB_PREFIX}${id}`;

/** The hub's id for a center item id, or null when it is not from the hub. */
export function hubMessageId(itemId) {
    return typeof itemId === 'string' && itemId.startsWith(HUB_PREFIX) ? Number(itemId.slice(HUB_PREFIX.length)) : null;
}
