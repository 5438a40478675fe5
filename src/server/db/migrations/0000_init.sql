CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'active' NOT NULL,
	"max_concurrent_calls" integer DEFAULT 5 NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_workspace_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "agents_status_check" CHECK ("agents"."status" in ('active', 'inactive')),
	CONSTRAINT "agents_capacity_range" CHECK ("agents"."max_concurrent_calls" between 1 and 1000),
	CONSTRAINT "agents_name_present" CHECK (length(trim("agents"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_secret_hash_unique" UNIQUE("secret_hash"),
	CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('admin', 'operator', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "call_logs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"agent_id" uuid,
	"campaign_id" uuid,
	"follow_up_id" uuid,
	"direction" text NOT NULL,
	"outcome" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"duration_seconds" integer DEFAULT 0 NOT NULL,
	"summary" text,
	"requested_callback_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_logs_workspace_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "call_logs_direction_check" CHECK ("call_logs"."direction" in ('outbound', 'inbound')),
	CONSTRAINT "call_logs_outcome_check" CHECK ("call_logs"."outcome" in ('answered', 'no_answer', 'busy', 'voicemail', 'failed', 'callback_requested', 'not_interested', 'do_not_call')),
	CONSTRAINT "call_logs_duration_positive" CHECK ("call_logs"."duration_seconds" >= 0),
	CONSTRAINT "call_logs_ended_after_start" CHECK ("call_logs"."ended_at" is null or "call_logs"."ended_at" >= "call_logs"."started_at")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"agent_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"timezone" text,
	"calling_window" jsonb,
	"outcome_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_workspace_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('draft', 'scheduled', 'running', 'paused', 'completed')),
	CONSTRAINT "campaigns_name_present" CHECK (length(trim("campaigns"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"first_name" text,
	"last_name" text,
	"phone" text NOT NULL,
	"email" text,
	"company" text,
	"timezone" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_workspace_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "contacts_phone_unique" UNIQUE("workspace_id","phone"),
	CONSTRAINT "contacts_phone_e164" CHECK ("contacts"."phone" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "dnc_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"reason" text,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dnc_phone_unique" UNIQUE("workspace_id","phone"),
	CONSTRAINT "dnc_phone_e164" CHECK ("dnc_entries"."phone" ~ '^\+[1-9][0-9]{6,14}$')
);
--> statement-breakpoint
CREATE TABLE "follow_up_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"number" smallint NOT NULL,
	"channel" text NOT NULL,
	"provider" text NOT NULL,
	"agent_id" uuid,
	"idempotency_key" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"lease_expires_at" timestamp with time zone,
	"worker_id" text,
	"result" text,
	"error" text,
	"provider_ref" text,
	"call_log_id" uuid,
	CONSTRAINT "follow_up_attempts_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "follow_up_attempts_number_unique" UNIQUE("follow_up_id","number"),
	CONSTRAINT "follow_up_attempts_number_range" CHECK ("follow_up_attempts"."number" between 1 and 10),
	CONSTRAINT "follow_up_attempts_channel_check" CHECK ("follow_up_attempts"."channel" in ('call', 'sms', 'webhook')),
	CONSTRAINT "follow_up_attempts_result_check" CHECK ("follow_up_attempts"."result" is null or "follow_up_attempts"."result" in ('answered', 'no_answer', 'busy', 'voicemail', 'failed', 'callback_requested', 'not_interested', 'do_not_call', 'invalid_number', 'delivered', 'accepted', 'opted_out', 'success', 'http_error', 'network_error', 'provider_error', 'timeout')),
	CONSTRAINT "follow_up_attempts_ended_has_result" CHECK (("follow_up_attempts"."ended_at" is null) = ("follow_up_attempts"."result" is null))
);
--> statement-breakpoint
CREATE TABLE "follow_up_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "follow_up_events_kind_check" CHECK ("follow_up_events"."kind" in ('created', 'updated', 'rescheduled', 'deferred', 'queued', 'attempt_started', 'attempt_succeeded', 'attempt_failed', 'retry_scheduled', 'completed', 'failed', 'blocked_dnc', 'snoozed', 'resumed', 'cancelled', 'expired', 'retried')),
	CONSTRAINT "follow_up_events_actor_check" CHECK ("follow_up_events"."actor_type" in ('user', 'api_key', 'system')),
	CONSTRAINT "follow_up_events_actor_id" CHECK (("follow_up_events"."actor_type" = 'system') = ("follow_up_events"."actor_id" is null))
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"type" text DEFAULT 'call' NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"agent_id" uuid,
	"priority" text DEFAULT 'normal' NOT NULL,
	"priority_rank" smallint GENERATED ALWAYS AS (case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end) STORED NOT NULL,
	"max_attempts" smallint DEFAULT 3 NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"allow_out_of_window" boolean DEFAULT false NOT NULL,
	"notes" text,
	"campaign_id" uuid,
	"source" text NOT NULL,
	"source_call_log_id" uuid,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"run_at" timestamp with time zone GENERATED ALWAYS AS (coalesce(next_attempt_at, scheduled_at)) STORED NOT NULL,
	"snoozed_until" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"completed_at" timestamp with time zone,
	"resolved_agent_id" uuid,
	"created_by_user_id" uuid,
	"created_by_api_key_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_ups_workspace_id_unique" UNIQUE("workspace_id","id"),
	CONSTRAINT "follow_ups_type_check" CHECK ("follow_ups"."type" in ('call', 'sms', 'webhook')),
	CONSTRAINT "follow_ups_priority_check" CHECK ("follow_ups"."priority" in ('urgent', 'high', 'normal', 'low')),
	CONSTRAINT "follow_ups_source_check" CHECK ("follow_ups"."source" in ('manual', 'api', 'campaign', 'call_outcome', 'automation')),
	CONSTRAINT "follow_ups_status_check" CHECK ("follow_ups"."status" in ('scheduled', 'queued', 'in_progress', 'completed', 'failed', 'cancelled', 'expired', 'snoozed')),
	CONSTRAINT "follow_ups_max_attempts_range" CHECK ("follow_ups"."max_attempts" between 1 and 10),
	CONSTRAINT "follow_ups_attempts_range" CHECK ("follow_ups"."attempts" between 0 and "follow_ups"."max_attempts"),
	CONSTRAINT "follow_ups_notes_length" CHECK ("follow_ups"."notes" is null or length("follow_ups"."notes") <= 2000),
	CONSTRAINT "follow_ups_snoozed_has_until" CHECK ("follow_ups"."status" <> 'snoozed' or "follow_ups"."snoozed_until" is not null),
	CONSTRAINT "follow_ups_terminal_has_completed_at" CHECK (("follow_ups"."status" in ('completed', 'failed', 'cancelled', 'expired')) = ("follow_ups"."completed_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"workspace_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_records_pk" PRIMARY KEY("workspace_id","actor_id","key"),
	CONSTRAINT "idempotency_key_length" CHECK (length("idempotency_records"."key") between 1 and 255)
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('admin', 'operator', 'viewer'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_url_http" CHECK ("webhook_endpoints"."url" ~ '^https?://'),
	CONSTRAINT "webhook_endpoints_secret_format" CHECK ("webhook_endpoints"."secret" like 'whsec_%')
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"calling_window" jsonb NOT NULL,
	"retry_schedule_minutes" jsonb NOT NULL,
	"default_expiry_hours" integer DEFAULT 72 NOT NULL,
	"default_agent_id" uuid,
	"outcome_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_name_present" CHECK (length(trim("workspaces"."name")) > 0),
	CONSTRAINT "workspaces_expiry_range" CHECK ("workspaces"."default_expiry_hours" between 1 and 8760)
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_campaign_fk" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dnc_entries" ADD CONSTRAINT "dnc_entries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dnc_entries" ADD CONSTRAINT "dnc_entries_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_attempts" ADD CONSTRAINT "follow_up_attempts_follow_up_fk" FOREIGN KEY ("workspace_id","follow_up_id") REFERENCES "public"."follow_ups"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_attempts" ADD CONSTRAINT "follow_up_attempts_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_attempts" ADD CONSTRAINT "follow_up_attempts_call_log_fk" FOREIGN KEY ("workspace_id","call_log_id") REFERENCES "public"."call_logs"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_events" ADD CONSTRAINT "follow_up_events_follow_up_fk" FOREIGN KEY ("workspace_id","follow_up_id") REFERENCES "public"."follow_ups"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_created_by_api_key_id_api_keys_id_fk" FOREIGN KEY ("created_by_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_contact_fk" FOREIGN KEY ("workspace_id","contact_id") REFERENCES "public"."contacts"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_agent_fk" FOREIGN KEY ("workspace_id","agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_resolved_agent_fk" FOREIGN KEY ("workspace_id","resolved_agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_campaign_fk" FOREIGN KEY ("workspace_id","campaign_id") REFERENCES "public"."campaigns"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_source_call_fk" FOREIGN KEY ("workspace_id","source_call_log_id") REFERENCES "public"."call_logs"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_default_agent_fk" FOREIGN KEY ("id","default_agent_id") REFERENCES "public"."agents"("workspace_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_one_default" ON "agents" USING btree ("workspace_id") WHERE "agents"."is_default";--> statement-breakpoint
CREATE INDEX "api_keys_workspace_idx" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "call_logs_contact_idx" ON "call_logs" USING btree ("workspace_id","contact_id","started_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "call_logs_list_idx" ON "call_logs" USING btree ("workspace_id","started_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "call_logs_follow_up_idx" ON "call_logs" USING btree ("follow_up_id");--> statement-breakpoint
CREATE INDEX "campaigns_list_idx" ON "campaigns" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "contacts_list_idx" ON "contacts" USING btree ("workspace_id","created_at","id");--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("workspace_id",lower("last_name"),lower("first_name"));--> statement-breakpoint
CREATE INDEX "follow_up_attempts_lease_idx" ON "follow_up_attempts" USING btree ("lease_expires_at") WHERE "follow_up_attempts"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "follow_up_events_follow_up_idx" ON "follow_up_events" USING btree ("follow_up_id","at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_contact_idx" ON "follow_ups" USING btree ("workspace_id","contact_id","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_list_idx" ON "follow_ups" USING btree ("workspace_id","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_status_idx" ON "follow_ups" USING btree ("workspace_id","status","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_agent_idx" ON "follow_ups" USING btree ("workspace_id","agent_id","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_campaign_idx" ON "follow_ups" USING btree ("workspace_id","campaign_id","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_type_idx" ON "follow_ups" USING btree ("workspace_id","type","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_priority_idx" ON "follow_ups" USING btree ("workspace_id","priority","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_source_idx" ON "follow_ups" USING btree ("workspace_id","source","scheduled_at","id");--> statement-breakpoint
CREATE INDEX "follow_ups_due_idx" ON "follow_ups" USING btree ("run_at") WHERE "follow_ups"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX "follow_ups_queue_idx" ON "follow_ups" USING btree ("priority_rank","scheduled_at","id") WHERE "follow_ups"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "follow_ups_snoozed_idx" ON "follow_ups" USING btree ("snoozed_until") WHERE "follow_ups"."status" = 'snoozed';--> statement-breakpoint
CREATE INDEX "follow_ups_in_progress_idx" ON "follow_ups" USING btree ("workspace_id","resolved_agent_id") WHERE "follow_ups"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX "idempotency_records_expiry_idx" ON "idempotency_records" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expiry_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_workspace_idx" ON "users" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "webhook_endpoints_workspace_idx" ON "webhook_endpoints" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_endpoints_one_default" ON "webhook_endpoints" USING btree ("workspace_id") WHERE "webhook_endpoints"."is_default";