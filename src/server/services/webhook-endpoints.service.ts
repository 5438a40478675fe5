/**
 * Webhook endpoints (admin): where webhook follow-ups are delivered. The signing secret is
 * generated here and returned by create only; at most one endpoint is the default.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import {
  type CreateWebhookEndpoint,
  DEV_INBOX_URL,
  type PatchWebhookEndpoint,
  type WebhookEndpoint,
} from '../../contracts/webhook-endpoints.contract.ts';
import type { Tx } from '../db/client.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { webhookEndpoints } from '../db/schema.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { classifyAddress } from '../outbound/address-policy.ts';
import { refusedMessage } from '../outbound/http-client.ts';
import type { Actor, ServiceContext } from './context.ts';

/** `whsec_` + 24 random bytes in base64 (Standard Webhooks). */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export function endpointView(row: typeof webhookEndpoints.$inferSelect): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    active: row.active,
    isDefault: row.isDefault,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Two admins making different endpoints the default at the same moment: one of them waits. */
async function guardDefault<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error, 'webhook_endpoints_one_default')) {
      throw conflict('Another endpoint was made the default at the same moment. Try again.', [
        { path: 'isDefault', message: 'Another endpoint just became the default.' },
      ]);
    }
    throw error;
  }
}

async function clearDefault(tx: Tx, actor: Actor, now: Date, except?: string) {
  await tx
    .update(webhookEndpoints)
    .set({ isDefault: false, updatedAt: now })
    .where(
      and(
        eq(webhookEndpoints.workspaceId, actor.workspaceId),
        eq(webhookEndpoints.isDefault, true),
        except ? ne(webhookEndpoints.id, except) : undefined,
      ),
    );
}

/** Where endpoints may point: FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS lifts the address rule. */
export interface EndpointRules {
  allowPrivate: boolean;
}

/**
 * Refuses a URL whose host is written as a private or reserved address (or is localhost): such an
 * endpoint could never be delivered to. Names are checked again at every delivery.
 */
function checkEndpointAddress(value: string, rules: EndpointRules) {
  if (value === DEV_INBOX_URL) {
    const message =
      'This address is the demo’s built-in development inbox: give the address of your receiver.';
    throw invalid(message, [{ path: 'url', message }]);
  }
  if (rules.allowPrivate) return;
  const host = new URL(value).hostname.toLowerCase();
  const verdict = classifyAddress(host);
  const local = host === 'localhost' || host.endsWith('.localhost');
  if (!local && (!verdict || verdict.allowed)) return;
  const message = refusedMessage(host);
  throw invalid(message, [{ path: 'url', message }]);
}

/** Every endpoint of the workspace, oldest first; never their secrets. */
export async function listWebhookEndpoints(ctx: ServiceContext, actor: Actor) {
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.workspaceId, actor.workspaceId))
    .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
  return { items: rows.map(endpointView), nextCursor: null };
}

/** Creates an endpoint; its secret (`whsec_` + 24 random bytes in base64) is shown once. */
export async function createWebhookEndpoint(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateWebhookEndpoint,
  rules: EndpointRules,
) {
  checkEndpointAddress(input.url, rules);
  const secret = newWebhookSecret();
  const now = ctx.clock.now();
  const row = await guardDefault(() =>
    ctx.db.transaction(async (tx) => {
      if (input.isDefault) await clearDefault(tx, actor, now);
      const [created] = await tx
        .insert(webhookEndpoints)
        .values({
          id: newId(),
          workspaceId: actor.workspaceId,
          url: input.url,
          secret,
          description: input.description || null,
          active: input.active ?? true,
          isDefault: input.isDefault ?? false,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return created!;
    }),
  );
  return { ...endpointView(row), secret };
}

export async function updateWebhookEndpoint(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: PatchWebhookEndpoint,
  rules: EndpointRules,
) {
  // The demo's inbox keeps its address (the edit form sends it back unchanged).
  const keepsInbox = input.url === DEV_INBOX_URL;
  if (input.url !== undefined && !keepsInbox) checkEndpointAddress(input.url, rules);
  const now = ctx.clock.now();
  const set: PgUpdateSetSource<typeof webhookEndpoints> = { updatedAt: now };
  if (input.url !== undefined) set.url = input.url;
  if (input.description !== undefined) set.description = input.description || null;
  if (input.active !== undefined) set.active = input.active;
  if (input.isDefault !== undefined) set.isDefault = input.isDefault;
  const row = await guardDefault(() =>
    ctx.db.transaction(async (tx) => {
      const mine = and(
        eq(webhookEndpoints.workspaceId, actor.workspaceId),
        eq(webhookEndpoints.id, id),
      );
      const [existing] = await tx
        .select({ id: webhookEndpoints.id, url: webhookEndpoints.url })
        .from(webhookEndpoints)
        .where(mine)
        .for('update');
      if (!existing) throw notFound('webhook endpoint');
      if (keepsInbox && existing.url !== DEV_INBOX_URL) checkEndpointAddress(DEV_INBOX_URL, rules);
      if (input.isDefault) await clearDefault(tx, actor, now, id);
      const [updated] = await tx.update(webhookEndpoints).set(set).where(mine).returning();
      return updated!;
    }),
  );
  return endpointView(row);
}

export async function deleteWebhookEndpoint(ctx: ServiceContext, actor: Actor, id: string) {
  const [row] = await ctx.db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, actor.workspaceId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw notFound('webhook endpoint');
}
