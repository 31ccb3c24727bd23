-- Speakers' queue (issue 3): requests to speak per agenda item, turns with time limit, extensions and actual times.

CREATE TABLE "SpeakerRequests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SpeakerRequests" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "AgendaItemId" INTEGER NOT NULL,
    "MembershipId" INTEGER NOT NULL,
    "Mark" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Position" INTEGER NOT NULL,
    "RequestedAtUtc" TEXT NOT NULL,
    "TimeLimitSeconds" INTEGER NULL,
    "ExtensionSeconds" INTEGER NOT NULL,
    "StartedAtUtc" TEXT NULL,
    "EndedAtUtc" TEXT NULL,
    "ClosedAtUtc" TEXT NULL,
    "RemovalReason" TEXT NULL,
    CONSTRAINT "FK_SpeakerRequests_AgendaItems_AgendaItemId" FOREIGN KEY ("AgendaItemId") REFERENCES "AgendaItems" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SpeakerRequests_Memberships_MembershipId" FOREIGN KEY ("MembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_SpeakerRequests_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_SpeakerRequests_AgendaItemId_Status_Position" ON "SpeakerRequests" ("AgendaItemId", "Status", "Position");

CREATE INDEX "IX_SpeakerRequests_MembershipId" ON "SpeakerRequests" ("MembershipId");

CREATE INDEX "IX_SpeakerRequests_SessionId_Status" ON "SpeakerRequests" ("SessionId", "Status");

CREATE UNIQUE INDEX "UX_SpeakerRequests_Floor" ON "SpeakerRequests" ("SessionId") WHERE "Status" = 'Speaking';

CREATE UNIQUE INDEX "UX_SpeakerRequests_Waiting" ON "SpeakerRequests" ("AgendaItemId", "MembershipId") WHERE "Status" = 'Waiting';
