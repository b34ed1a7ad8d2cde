/**
 * The browser's host permissions as the popup and options page use them: which origins are
 * granted, and asking for or giving back some. Requests must run inside the learner's click.
 */
import type { SitesApi } from '../lib/site-access';

export interface PermissionsRequestLike {
  getAll(): Promise<{ origins?: string[] }>;
  request(permissions: { origins: string[] }): Promise<boolean>;
  remove(permissions: { origins: string[] }): Promise<boolean>;
}

export function browserSites(permissions: PermissionsRequestLike): SitesApi {
  return {
    grantedOrigins: async () => (await permissions.getAll()).origins ?? [],
    requestSites: (origins) => permissions.request({ origins }),
    removeSites: (origins) => permissions.remove({ origins }),
  };
}
