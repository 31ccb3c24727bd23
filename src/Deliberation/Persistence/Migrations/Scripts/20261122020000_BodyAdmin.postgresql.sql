-- Ended seats (BodyAdminService.EndSeatAsync): a used seat is ended, never deleted; quorum and eligibility ignore it.
ALTER TABLE "Memberships" ADD "EndedAtUtc" timestamp with time zone;

ALTER TABLE "Memberships" ADD "EndReason" character varying(200);
