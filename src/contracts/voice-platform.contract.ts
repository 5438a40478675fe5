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

export const VoicePlatformSchema = z.object({
  provider: z.enum(VOICE_PROVIDERS).describe('FOLLOWTHROUGH_CALL_PROVIDER of this server'),
  configured: z
    .boolean()
    .describe("Whether the platform's credentials are set (in the server's environment)"),
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
