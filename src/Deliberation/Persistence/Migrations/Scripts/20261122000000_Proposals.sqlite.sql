ALTER TABLE "Bodies" ADD COLUMN "CoSponsorThreshold" INTEGER NOT NULL DEFAULT 2;

CREATE TABLE "Amendments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Amendments" PRIMARY KEY AUTOINCREMENT,
    "ProposalId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "ParagraphIndex" INTEGER NOT NULL,
    "BaseVersion" INTEGER NOT NULL,
    "OriginalText" TEXT NOT NULL,
    "ProposedText" TEXT NOT NULL,
    "Rationale" TEXT NULL,
    "AuthorUserId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "PollId" INTEGER NULL,
    "DecidedByUserId" TEXT NULL,
    "DecidedAtUtc" TEXT NULL,
    "DecisionNote" TEXT NULL,
    "ResultVersion" INTEGER NULL,
    CONSTRAINT "FK_Amendments_AspNetUsers_AuthorUserId" FOREIGN KEY ("AuthorUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Amendments_Polls_PollId" FOREIGN KEY ("PollId") REFERENCES "Polls" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Amendments_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE CASCADE
);

CREATE TABLE "CoSponsorships" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CoSponsorships" PRIMARY KEY AUTOINCREMENT,
    "ProposalId" INTEGER NOT NULL,
    "UserId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CoSponsorships_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CoSponsorships_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Proposals" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Proposals" PRIMARY KEY AUTOINCREMENT,
    "BodyId" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "OrganisationId" INTEGER NULL,
    "AuthorUserId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "SubmittedAtUtc" TEXT NULL,
    "AgendaItemId" INTEGER NULL,
    "DecidedByPollId" INTEGER NULL,
    "TopicId" INTEGER NULL,
    "ReferredFromProposalId" INTEGER NULL,
    "ReferredToBodyId" INTEGER NULL,
    "ReferredToName" TEXT NULL,
    CONSTRAINT "FK_Proposals_AgendaItems_AgendaItemId" FOREIGN KEY ("AgendaItemId") REFERENCES "AgendaItems" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_AspNetUsers_AuthorUserId" FOREIGN KEY ("AuthorUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_Bodies_BodyId" FOREIGN KEY ("BodyId") REFERENCES "Bodies" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_Bodies_ReferredToBodyId" FOREIGN KEY ("ReferredToBodyId") REFERENCES "Bodies" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_Polls_DecidedByPollId" FOREIGN KEY ("DecidedByPollId") REFERENCES "Polls" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_Proposals_ReferredFromProposalId" FOREIGN KEY ("ReferredFromProposalId") REFERENCES "Proposals" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Proposals_TopicSubmissions_TopicId" FOREIGN KEY ("TopicId") REFERENCES "TopicSubmissions" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "ProposalStatusChanges" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProposalStatusChanges" PRIMARY KEY AUTOINCREMENT,
    "ProposalId" INTEGER NOT NULL,
    "From" TEXT NULL,
    "To" TEXT NOT NULL,
    "ByUserId" TEXT NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_ProposalStatusChanges_AspNetUsers_ByUserId" FOREIGN KEY ("ByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ProposalStatusChanges_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ProposalVersions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProposalVersions" PRIMARY KEY AUTOINCREMENT,
    "ProposalId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "AuthorUserId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "AmendmentNumber" INTEGER NULL,
    CONSTRAINT "FK_ProposalVersions_AspNetUsers_AuthorUserId" FOREIGN KEY ("AuthorUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_ProposalVersions_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TopicSubmissions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_TopicSubmissions" PRIMARY KEY AUTOINCREMENT,
    "BodyId" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "SubmitterName" TEXT NOT NULL,
    "Contact" TEXT NOT NULL,
    "SourceKey" TEXT NOT NULL,
    "TrackingCode" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "ProposalId" INTEGER NULL,
    "ReferredToName" TEXT NULL,
    "TriagedByUserId" TEXT NULL,
    "TriagedAtUtc" TEXT NULL,
    CONSTRAINT "FK_TopicSubmissions_Bodies_BodyId" FOREIGN KEY ("BodyId") REFERENCES "Bodies" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_TopicSubmissions_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_Amendments_AuthorUserId" ON "Amendments" ("AuthorUserId");

CREATE INDEX "IX_Amendments_PollId" ON "Amendments" ("PollId");

CREATE UNIQUE INDEX "IX_Amendments_ProposalId_Number" ON "Amendments" ("ProposalId", "Number");

CREATE UNIQUE INDEX "IX_CoSponsorships_ProposalId_UserId" ON "CoSponsorships" ("ProposalId", "UserId");

CREATE INDEX "IX_CoSponsorships_UserId" ON "CoSponsorships" ("UserId");

CREATE INDEX "IX_Proposals_AgendaItemId" ON "Proposals" ("AgendaItemId");

CREATE INDEX "IX_Proposals_AuthorUserId" ON "Proposals" ("AuthorUserId");

CREATE INDEX "IX_Proposals_BodyId_Status" ON "Proposals" ("BodyId", "Status");

CREATE INDEX "IX_Proposals_DecidedByPollId" ON "Proposals" ("DecidedByPollId");

CREATE INDEX "IX_Proposals_OrganisationId" ON "Proposals" ("OrganisationId");

CREATE INDEX "IX_Proposals_ReferredFromProposalId" ON "Proposals" ("ReferredFromProposalId");

CREATE INDEX "IX_Proposals_ReferredToBodyId" ON "Proposals" ("ReferredToBodyId");

CREATE INDEX "IX_Proposals_TopicId" ON "Proposals" ("TopicId");

CREATE INDEX "IX_ProposalStatusChanges_ByUserId" ON "ProposalStatusChanges" ("ByUserId");

CREATE INDEX "IX_ProposalStatusChanges_ProposalId_AtUtc" ON "ProposalStatusChanges" ("ProposalId", "AtUtc");

CREATE INDEX "IX_ProposalVersions_AuthorUserId" ON "ProposalVersions" ("AuthorUserId");

CREATE UNIQUE INDEX "IX_ProposalVersions_ProposalId_Number" ON "ProposalVersions" ("ProposalId", "Number");

CREATE INDEX "IX_TopicSubmissions_BodyId_Status" ON "TopicSubmissions" ("BodyId", "Status");

CREATE INDEX "IX_TopicSubmissions_ProposalId" ON "TopicSubmissions" ("ProposalId");

CREATE INDEX "IX_TopicSubmissions_SourceKey_CreatedAtUtc" ON "TopicSubmissions" ("SourceKey", "CreatedAtUtc");

CREATE UNIQUE INDEX "IX_TopicSubmissions_TrackingCode" ON "TopicSubmissions" ("TrackingCode");
