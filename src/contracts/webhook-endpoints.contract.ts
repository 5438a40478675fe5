/**
 * Webhook endpoints (SPEC §1, §5): where webhook follow-ups are delivered, signed with the
 * endpoint's secret. The secret is in the create response only.
 */
import { z } from 'zod';
import { InstantOut } from './common.ts';

/**
 * The demo's development inbox (a receiver built into the product, delivered to in process): a
 * reserved name that never resolves. Only the demo workspace has an endpoint with it.
 */
export const DEV_INBOX_URL = 'https://dev-inbox.followthrough.invalid/api/dev/webhook-inbox';

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Why a webhook URL cannot be used, or null: https, or plain http to this machine only. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Not a valid URL. Give the full address, e.g. https://example.com/hooks/followthrough.';
  }
  if (url.username || url.password) {
    return 'Leave the user name and password out of the URL: receivers verify the signature.';
  }
  if (url.hostname.toLowerCase().endsWith('.invalid') && value !== DEV_INBOX_URL) {
    return 'A .invalid name never resolves: give the address of your receiver.';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:') {
    return isLoopback(url.hostname.toLowerCase())
      ? null
      : 'Use https. Plain http is only allowed to this machine (localhost, 127.0.0.1, [::1]) ' +
          'for development.';
  }
  return `Use an https:// URL (${url.protocol.replace(/:$/, '')} is not supported).`;
}

const WebhookUrl = z
  .string({ message: 'Give the URL that receives the webhooks.' })
  .trim()
  .min(1, 'Give the URL that receives the webhooks.')
  .max(2048, 'The URL can be at most 2048 characters.')
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('https, or http to localhost / 127.x / [::1] for development');

const Description = z
  .string()
  .trim()
  .max(500, 'The description can be at most 500 characters.')
  .nullable()
  .optional();

export const WebhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  isDefault: z.boolean().describe('Webhook follow-ups are delivered to the default endpoint'),
  createdAt: InstantOut,
  updatedAt: InstantOut,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

export const CreatedWebhookEndpoint = WebhookEndpointSchema.extend({
  secret: z.string().describe('whsec_…: the signing secret, shown in this response only'),
});

export const CreateWebhookEndpointBody = z.strictObject({
  url: WebhookUrl,
  description: Description,
  active: z.boolean().optional().describe('Default true'),
  isDefault: z.boolean().optional().describe('Default false; true un-defaults the others'),
});
export type CreateWebhookEndpoint = z.infer<typeof CreateWebhookEndpointBody>;

export const PatchWebhookEndpointBody = z.strictObject({
  url: WebhookUrl.optional(),
  description: Description,
  active: z.boolean().optional(),
  isDefault: z.boolean().optional(),
});
export type PatchWebhookEndpoint = z.infer<typeof PatchWebhookEndpointBody>;
