ALTER TABLE "campaigns" ADD COLUMN "closed_on_public_holidays" boolean;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "every_zone" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "closed_on_public_holidays" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_region_iso" CHECK ("contacts"."region" ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$');