ALTER TABLE "follow_up_attempts" DROP CONSTRAINT "follow_up_attempts_result_check";--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "external_agent_id" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "from_number" text;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "provider_call_id" text;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "sentiment" text;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "recording_url" text;--> statement-breakpoint
ALTER TABLE "call_logs" ADD COLUMN "transcript_url" text;--> statement-breakpoint
ALTER TABLE "follow_up_attempts" ADD CONSTRAINT "follow_up_attempts_result_check" CHECK ("follow_up_attempts"."result" is null or "follow_up_attempts"."result" in ('answered', 'no_answer', 'busy', 'voicemail', 'failed', 'callback_requested', 'not_interested', 'do_not_call', 'invalid_number', 'delivered', 'accepted', 'opted_out', 'success', 'http_error', 'network_error', 'provider_error', 'timeout', 'not_configured'));