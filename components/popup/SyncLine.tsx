/**
 * The popup's line about sync, only once the learner turned it on: when this device last
 * synced, or that the last sync failed and why (the same words as Settings -> Sync), with a
 * way to the settings to fix it. A failure is said here too because the popup is what the
 * learner opens every day; Settings is where they rarely look.
 */
import type { SyncStatus } from '../../lib/sync-settings';
import { syncAge } from '../../lib/sync-settings';
import { t } from '../../platform/i18n';

function ago(at: number, now: number): string {
  const { value, unit } = syncAge(at, now);
  return new Intl.RelativeTimeFormat(t('locale'), { numeric: 'auto' }).format(-value, unit);
}

export function SyncLine({ status, now, openSettings }: { status: SyncStatus | undefined; now: number; openSettings(): void }) {
  if (!status?.configured) return null;
  const { last } = status;
  if (!last) {
    return (
      <p class="muted sync-line" data-sync="never">
        {t('popupSyncNever')}
      </p>
    );
  }
  if (last.ok) {
    return (
      <p class="muted sync-line" data-sync="ok">
        {t('popupSyncOk', ago(last.at, now))}
      </p>
    );
  }
  return (
    <p class="error sync-line" data-sync="failed">
      {t('popupSyncFailed', [ago(last.at, now), last.line])}{' '}
      <button type="button" class="link" onClick={openSettings}>
        {t('popupSyncSettings')}
      </button>
    </p>
  );
}
