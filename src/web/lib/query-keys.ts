/**
 * The cache keys of data that more than one feature reads or refreshes (a DNC listing refreshes
 * contacts, follow-ups and the dashboard; an import refreshes contacts). Features own their
 * queries but not each other's keys: the keys they share live here.
 */
export const contactKeys = {
  all: ['contacts'] as const,
  list: (q: string | undefined) => ['contacts', 'list', q ?? ''] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  callLogs: (id: string) => ['contacts', 'detail', id, 'call-logs'] as const,
};

export const followUpKeys = {
  all: ['follow-ups'] as const,
  lists: ['follow-ups', 'list'] as const,
  list: (filters: object) => ['follow-ups', 'list', filters] as const,
  detail: (id: string) => ['follow-ups', 'detail', id] as const,
};

export const dashboardKeys = { all: ['dashboard'] as const };

export const campaignKeys = {
  all: ['campaigns'] as const,
  detail: (id: string) => ['campaigns', 'detail', id] as const,
};

export const importKeys = {
  all: ['imports'] as const,
  detail: (id: string) => ['imports', 'detail', id] as const,
};
