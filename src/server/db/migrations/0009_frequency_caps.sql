ALTER TABLE "campaigns" ADD COLUMN "frequency_caps" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "frequency_caps" jsonb DEFAULT '[]'::jsonb NOT NULL;