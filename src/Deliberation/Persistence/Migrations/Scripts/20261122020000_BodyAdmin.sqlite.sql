-- Ended seats (BodyAdminService.EndSeatAsync): a used seat is ended, never deleted; quorum and eligibility ignore it.
ALTER TABLE "Memberships" ADD "EndedAtUtc" TEXT NULL;

ALTER TABLE "Memberships" ADD "EndReason" TEXT NULL;
