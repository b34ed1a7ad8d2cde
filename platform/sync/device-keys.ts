/**
 * The `kv` entries that belong to this device's link to the learner's sync server, not to
 * the learner's data: the server, user, password or app token and sync passphrase
 * ("syncConfig"), the merged state of the last sync ("syncState") and the outgoing segment
 * ("syncOutbox"). Backups leave them out, so credentials never travel in a file and a backup
 * restores on a device that never synced; restoring a backup keeps them, so the device stays
 * linked and goes on numbering its segments where it was (a number used twice would hide a
 * segment from the other devices).
 */
export const SYNC_CONFIG_KEY = 'syncConfig';
export const SYNC_STATE_KEY = 'syncState';
export const SYNC_OUTBOX_KEY = 'syncOutbox';

export const DEVICE_LOCAL_KV_KEYS: readonly string[] = [SYNC_CONFIG_KEY, SYNC_STATE_KEY, SYNC_OUTBOX_KEY];

export function isDeviceLocalKey(key: unknown): boolean {
  return typeof key === 'string' && DEVICE_LOCAL_KV_KEYS.includes(key);
}
