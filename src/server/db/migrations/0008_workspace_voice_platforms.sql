CREATE TABLE "workspace_voice_platforms" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"caller" text,
	"voice_url" text,
	"credentials" text NOT NULL,
	"hints" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_voice_platforms_provider_check" CHECK ("workspace_voice_platforms"."provider" in ('retell', 'vapi', 'twilio')),
	CONSTRAINT "workspace_voice_platforms_credentials_format" CHECK ("workspace_voice_platforms"."credentials" like 'v1.%')
);
--> statement-breakpoint
ALTER TABLE "workspace_voice_platforms" ADD CONSTRAINT "workspace_voice_platforms_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;