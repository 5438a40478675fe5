ALTER TABLE "follow_up_attempts" ADD CONSTRAINT "follow_up_attempts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_events" ADD CONSTRAINT "follow_up_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_logs_agent_idx" ON "call_logs" USING btree ("workspace_id","agent_id");--> statement-breakpoint
CREATE INDEX "call_logs_campaign_idx" ON "call_logs" USING btree ("workspace_id","campaign_id");--> statement-breakpoint
CREATE INDEX "follow_up_attempts_call_log_idx" ON "follow_up_attempts" USING btree ("workspace_id","call_log_id");--> statement-breakpoint
CREATE INDEX "follow_ups_source_call_idx" ON "follow_ups" USING btree ("workspace_id","source_call_log_id");--> statement-breakpoint
CREATE INDEX "follow_ups_resolved_agent_idx" ON "follow_ups" USING btree ("workspace_id","resolved_agent_id");