DROP INDEX "follow_ups_in_progress_idx";--> statement-breakpoint
CREATE INDEX "dnc_list_idx" ON "dnc_entries" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_calls_in_progress_idx" ON "follow_ups" USING btree ("resolved_agent_id") WHERE "follow_ups"."status" = 'in_progress' and "follow_ups"."type" = 'call';--> statement-breakpoint
CREATE INDEX "follow_ups_expiry_idx" ON "follow_ups" USING btree ("expires_at") WHERE "follow_ups"."status" in ('scheduled', 'queued', 'snoozed');