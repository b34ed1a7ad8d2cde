/**
 * A stand-in for the browser's host permissions, for the popup's and options page's tests:
 * grants are kept in a list, and every request and removal is recorded.
 */
import type { SitesApi } from '../../lib/site-access';

export function fakeSites(initial: string[] = []) {
  let granted = [...initial];
  const calls = { requested: [] as string[][], removed: [] as string[][] };
  const api: SitesApi = {
    grantedOrigins: async () => [...granted],
    requestSites: async (origins) => {
      calls.requested.push(origins);
      granted = [...granted, ...origins];
      return true;
    },
    removeSites: async (origins) => {
      calls.removed.push(origins);
      granted = granted.filter((o) => !origins.includes(o));
      return true;
    },
  };
  return { api, calls, grant: (origins: string[]) => void (granted = [...origins]) };
}
