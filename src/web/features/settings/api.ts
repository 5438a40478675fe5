/** Settings screens: the workspace, users, API keys, webhook endpoints and their deliveries. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ApiKeySchema, CreatedApiKey } from '../../../contracts/auth.contract.ts';
import type { PatchSettings, Settings } from '../../../contracts/settings.contract.ts';
import type { CreatedUser, User } from '../../../contracts/users.contract.ts';
import type { WebhookDelivery } from '../../../contracts/webhook-deliveries.contract.ts';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  PatchWebhookEndpoint,
  WebhookEndpoint,
} from '../../../contracts/webhook-endpoints.contract.ts';
import type { Role } from '../../../core/roles.ts';
import { api, type Page } from '../../lib/api.ts';

export type ApiKey = z.infer<typeof ApiKeySchema>;
export type NewApiKey = z.infer<typeof CreatedApiKey>;
export type NewWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;
export type { CreatedUser, Settings, User, WebhookDelivery, WebhookEndpoint };

export const settingsKeys = {
  settings: ['settings'] as const,
  users: ['users'] as const,
  apiKeys: ['api-keys'] as const,
  endpoints: ['webhook-endpoints'] as const,
  deliveries: (endpointId: string) => ['webhook-endpoints', endpointId, 'deliveries'] as const,
};

export const settingsQuery = queryOptions({
  queryKey: settingsKeys.settings,
  queryFn: ({ signal }) => api<Settings>('/settings', { signal }),
});

export const updateSettings = (body: PatchSettings) =>
  api<Settings>('/settings', { method: 'PATCH', body });

export const usersQuery = queryOptions({
  queryKey: settingsKeys.users,
  queryFn: ({ signal }) => api<Page<User>>('/users', { signal }),
});

export const createUser = (body: { name: string; email: string; role: Role }) =>
  api<CreatedUser>('/users', { method: 'POST', body });

export const resetUserPassword = (id: string) =>
  api<CreatedUser>(`/users/${id}/reset-password`, { method: 'POST' });

export const updateUser = (id: string, body: { name?: string; role?: Role; active?: boolean }) =>
  api<User>(`/users/${id}`, { method: 'PATCH', body });

export const apiKeysQuery = queryOptions({
  queryKey: settingsKeys.apiKeys,
  queryFn: ({ signal }) => api<Page<ApiKey>>('/api-keys', { signal }),
});

export const createApiKey = (body: { name: string; role: Role }) =>
  api<NewApiKey>('/api-keys', { method: 'POST', body });

export const revokeApiKey = (id: string) => api<ApiKey>(`/api-keys/${id}`, { method: 'DELETE' });

export const endpointsQuery = queryOptions({
  queryKey: settingsKeys.endpoints,
  queryFn: ({ signal }) => api<Page<WebhookEndpoint>>('/webhook-endpoints', { signal }),
});

export const createEndpoint = (body: CreateWebhookEndpoint) =>
  api<NewWebhookEndpoint>('/webhook-endpoints', { method: 'POST', body });

export const updateEndpoint = (id: string, body: PatchWebhookEndpoint) =>
  api<WebhookEndpoint>(`/webhook-endpoints/${id}`, { method: 'PATCH', body });

export const deleteEndpoint = (id: string) =>
  api<void>(`/webhook-endpoints/${id}`, { method: 'DELETE' });

export const rotateEndpointSecret = (id: string) =>
  api<NewWebhookEndpoint>(`/webhook-endpoints/${id}/rotate-secret`, { method: 'POST' });

export const sendTestEvent = (id: string) =>
  api<WebhookDelivery>(`/webhook-endpoints/${id}/test`, { method: 'POST' });

export const redeliver = (deliveryId: string) =>
  api<WebhookDelivery>(`/webhook-deliveries/${deliveryId}/redeliver`, { method: 'POST' });

export function deliveriesInfiniteQuery(endpointId: string, limit = 25) {
  return infiniteQueryOptions({
    queryKey: [...settingsKeys.deliveries(endpointId), limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<WebhookDelivery>>(`/webhook-endpoints/${endpointId}/deliveries`, {
        query: { limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'operator', label: 'Operator' },
  { value: 'admin', label: 'Admin' },
];

export const roleLabel = (role: Role) => ROLE_OPTIONS.find((o) => o.value === role)?.label ?? role;

/** "15 min", "1 h", "1 h 30 min", "2 d", "1 d 4 h". */
export function formatDelay(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : '0 min';
}

/** "15 min, 1 h, 4 h" */
export const formatRetrySchedule = (schedule: readonly number[]) =>
  schedule.map(formatDelay).join(', ');
