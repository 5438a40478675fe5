/**
 * Settings › Voice platform (admins): which platform places the calls, the webhook URLs to
 * paste into it, and "Test connection", which lists the platform's agents and phone numbers.
 */
import { z } from 'zod';

export const VOICE_PROVIDERS = [
  'simulator',
  'http',
  'retell',
  'vapi',
  'twilio',
  'instant',
] as const;

/** The platforms a workspace can set for itself (Settings › Voice platform). */
export const WORKSPACE_VOICE_PROVIDERS = ['retell', 'vapi', 'twilio'] as const;
export type WorkspaceVoiceProvider = (typeof WORKSPACE_VOICE_PROVIDERS)[number];

/** The credentials a workspace can save, by platform. */
export const VOICE_CREDENTIALS = {
  retell: ['retellApiKey'],
  vapi: ['vapiApiKey', 'vapiWebhookSecret'],
  twilio: ['twilioAccountSid', 'twilioAuthToken'],
} as const satisfies Record<WorkspaceVoiceProvider, readonly string[]>;
export const VOICE_CREDENTIAL_NAMES = [
  'retellApiKey',
  'vapiApiKey',
  'vapiWebhookSecret',
  'twilioAccountSid',
  'twilioAuthToken',
] as const;
export type VoiceCredentialName = (typeof VOICE_CREDENTIAL_NAMES)[number];

export const CredentialStateSchema = z
  .object({
    set: z.boolean(),
    last4: z.string().nullable().describe('The last four characters, to recognise it'),
  })
  .describe('Whether the credential is set; its value is never returned');

export const WorkspaceVoicePlatformSchema = z.object({
  provider: z.enum(WORKSPACE_VOICE_PROVIDERS),
  caller: z
    .string()
    .nullable()
    .describe('Default caller: an E.164 number (Retell, Twilio) or the Vapi phone number id'),
  voiceUrl: z.string().nullable().describe("Twilio: the voice agent's TwiML endpoint"),
  credentials: z.object(
    Object.fromEntries(VOICE_CREDENTIAL_NAMES.map((n) => [n, CredentialStateSchema])) as Record<
      VoiceCredentialName,
      typeof CredentialStateSchema
    >,
  ),
});
export type WorkspaceVoicePlatform = z.infer<typeof WorkspaceVoicePlatformSchema>;

export const VoicePlatformSchema = z.object({
  provider: z
    .enum(VOICE_PROVIDERS)
    .describe("The platform this workspace's calls go through (its own, else the server's)"),
  source: z
    .enum(['workspace', 'environment'])
    .describe("workspace: the workspace's own settings; environment: the server's"),
  environmentProvider: z
    .enum(VOICE_PROVIDERS)
    .describe('FOLLOWTHROUGH_CALL_PROVIDER of this server'),
  configured: z.boolean().describe("Whether the platform's credentials are set"),
  workspace: WorkspaceVoicePlatformSchema.nullable().describe(
    "The workspace's own voice platform, which wins over the server's; null when none is saved",
  ),
  canSaveCredentials: z
    .boolean()
    .describe('False when the server has no key to encrypt credentials (FOLLOWTHROUGH_SECRET_KEY)'),
  webhookUrls: z
    .object({
      retell: z.string(),
      vapi: z.string(),
      twilio: z.string(),
    })
    .describe("The URLs to paste into each platform's webhook / server URL / status callback"),
});
export type VoicePlatform = z.infer<typeof VoicePlatformSchema>;

export const PlatformAgentSchema = z.object({ id: z.string(), name: z.string() });
export const PlatformNumberSchema = z.object({
  id: z.string(),
  number: z.string(),
  name: z.string().nullable(),
});

export const VoiceTestResultSchema = z.object({
  ok: z.boolean(),
  error: z.string().nullable().describe('Why the platform could not be reached or refused'),
  agents: z.array(PlatformAgentSchema).describe('Retell agents or Vapi assistants'),
  numbers: z.array(PlatformNumberSchema),
});
export type VoiceTestResult = z.infer<typeof VoiceTestResultSchema>;
export type PlatformAgent = z.infer<typeof PlatformAgentSchema>;

const E164 = /^\+[1-9]\d{6,14}$/;
const credential = z
  .string()
  .trim()
  .min(1, 'Give the credential, or leave it out to keep the one saved.')
  .max(500, 'A credential is at most 500 characters.')
  .regex(/^\S+$/, 'A credential has no spaces.');

export const SaveVoicePlatformBody = z
  .object({
    provider: z
      .enum(WORKSPACE_VOICE_PROVIDERS)
      .describe('The platform this workspace calls through'),
    caller: z
      .string()
      .trim()
      .max(200)
      .nullish()
      .describe('Default caller: E.164 for Retell and Twilio, the phone number id for Vapi'),
    voiceUrl: z
      .url({ protocol: /^https?$/, error: 'Give the TwiML endpoint as an http(s) URL.' })
      .max(2000)
      .nullish()
      .describe("Twilio: the voice agent's TwiML endpoint"),
    credentials: z
      .object(
        Object.fromEntries(VOICE_CREDENTIAL_NAMES.map((n) => [n, credential.optional()])) as Record<
          VoiceCredentialName,
          z.ZodOptional<typeof credential>
        >,
      )
      .strict()
      .default({})
      .describe('Only the credentials to set or replace; those left out stay as saved'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const caller = body.caller?.trim() || null;
    if (caller && body.provider !== 'vapi' && !E164.test(caller)) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller'],
        message: 'Give the caller number in E.164 form, like +12125550100.',
      });
    }
    if (caller && body.provider === 'vapi' && /\s/.test(caller)) {
      ctx.addIssue({
        code: 'custom',
        path: ['caller'],
        message: 'The Vapi phone number id has no spaces.',
      });
    }
  });
export type SaveVoicePlatformBody = z.infer<typeof SaveVoicePlatformBody>;
