-- The SQLite schema as the SQL-script migrations 20261121000000_Initial … 20261122030000_Comments (ADR 0003) left it,
-- read back from a database file they migrated (sqlite_master in creation order, FTS5 shadow tables and automatic
-- indexes left out: SQLite makes those itself), with its __EFMigrationsHistory rows. The upgrade test builds an old
-- database from this file. Never edit it: it stands for databases that exist.
CREATE TABLE "__EFMigrationsLock" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY,
    "Timestamp" TEXT NOT NULL
);
CREATE TABLE "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);
CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "DisplayNameEn" TEXT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" TEXT NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);
CREATE TABLE "Bodies" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Bodies" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "NameEn" TEXT NOT NULL,
    "Description" TEXT NULL,
    "DescriptionEn" TEXT NULL,
    "Kind" TEXT NOT NULL,
    "ParentId" INTEGER NULL,
    "SpeakingTimeSeconds" INTEGER NOT NULL,
    "ProxyCapPerHolder" INTEGER NOT NULL,
    "QuorumDenominator" INTEGER NOT NULL,
    "QuorumNumerator" INTEGER NOT NULL, "CoSponsorThreshold" INTEGER NOT NULL DEFAULT 2,
    CONSTRAINT "FK_Bodies_Bodies_ParentId" FOREIGN KEY ("ParentId") REFERENCES "Bodies" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "Organisations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Organisations" PRIMARY KEY AUTOINCREMENT,
    "Key" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "NameEn" TEXT NOT NULL,
    "Kind" TEXT NOT NULL
);
CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);
CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Terms" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Terms" PRIMARY KEY AUTOINCREMENT,
    "BodyId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "NameEn" TEXT NOT NULL,
    "StartsOn" TEXT NOT NULL,
    "EndsOn" TEXT NULL,
    CONSTRAINT "FK_Terms_Bodies_BodyId" FOREIGN KEY ("BodyId") REFERENCES "Bodies" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Memberships" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Memberships" PRIMARY KEY AUTOINCREMENT,
    "TermId" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "OrganisationId" INTEGER NULL,
    "UserId" TEXT NULL, "EndedAtUtc" TEXT NULL, "EndReason" TEXT NULL,
    CONSTRAINT "FK_Memberships_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_Memberships_Organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES "Organisations" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Memberships_Terms_TermId" FOREIGN KEY ("TermId") REFERENCES "Terms" ("Id") ON DELETE CASCADE
);
CREATE TABLE "AgendaItems" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AgendaItems" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "Position" INTEGER NOT NULL,
    "Title" TEXT NOT NULL,
    "Description" TEXT NULL,
    "PlannedMinutes" INTEGER NOT NULL,
    CONSTRAINT "FK_AgendaItems_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Sessions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Sessions" PRIMARY KEY AUTOINCREMENT,
    "BodyId" INTEGER NOT NULL,
    "TermId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "ScheduledAtUtc" TEXT NOT NULL,
    "Place" TEXT NOT NULL,
    "ChairUserId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "OpenedAtUtc" TEXT NULL,
    "ClosedAtUtc" TEXT NULL,
    "CurrentAgendaItemId" INTEGER NULL,
    CONSTRAINT "FK_Sessions_AgendaItems_CurrentAgendaItemId" FOREIGN KEY ("CurrentAgendaItemId") REFERENCES "AgendaItems" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sessions_AspNetUsers_ChairUserId" FOREIGN KEY ("ChairUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sessions_Bodies_BodyId" FOREIGN KEY ("BodyId") REFERENCES "Bodies" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Sessions_Terms_TermId" FOREIGN KEY ("TermId") REFERENCES "Terms" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "Attendances" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Attendances" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "MembershipId" INTEGER NOT NULL,
    "Method" TEXT NOT NULL,
    "CheckedInByUserId" TEXT NOT NULL,
    "CheckedInAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Attendances_AspNetUsers_CheckedInByUserId" FOREIGN KEY ("CheckedInByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Attendances_Memberships_MembershipId" FOREIGN KEY ("MembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Attendances_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Delegations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Delegations" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "FromMembershipId" INTEGER NOT NULL,
    "ToMembershipId" INTEGER NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "RevokedAtUtc" TEXT NULL,
    CONSTRAINT "FK_Delegations_Memberships_FromMembershipId" FOREIGN KEY ("FromMembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Delegations_Memberships_ToMembershipId" FOREIGN KEY ("ToMembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Delegations_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Minutes" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Minutes" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "ApprovedByUserId" TEXT NULL,
    CONSTRAINT "FK_Minutes_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "Polls" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Polls" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "AgendaItemId" INTEGER NOT NULL,
    "Question" TEXT NOT NULL,
    "Method" TEXT NOT NULL,
    "Secrecy" TEXT NOT NULL,
    "MinChoices" INTEGER NOT NULL,
    "MaxChoices" INTEGER NOT NULL,
    "Seats" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedByUserId" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "OpenedAtUtc" TEXT NULL,
    "ClosesAtUtc" TEXT NULL,
    "ClosedAtUtc" TEXT NULL,
    "PublishedAtUtc" TEXT NULL,
    "BallotCount" INTEGER NOT NULL,
    "BlankBallots" INTEGER NOT NULL,
    "PaperBallots" INTEGER NOT NULL,
    "PaperBlankBallots" INTEGER NOT NULL,
    "EligibleAtOpen" INTEGER NOT NULL,
    "PresentAtClose" INTEGER NOT NULL,
    "MembersAtClose" INTEGER NOT NULL,
    "Outcome" TEXT NULL,
    "DecisionJson" TEXT NULL,
    "AnnulmentReason" TEXT NULL,
    "AnnulmentRequestedByUserId" TEXT NULL,
    "AnnulmentRequestedAs" TEXT NULL,
    "AnnulledByUserId" TEXT NULL,
    "AnnulledAtUtc" TEXT NULL,
    "RuleAbstentionsCount" INTEGER NOT NULL,
    "RuleBase" TEXT NOT NULL,
    "RuleDenominator" INTEGER NOT NULL,
    "RuleKind" TEXT NOT NULL,
    "RuleNumerator" INTEGER NOT NULL,
    CONSTRAINT "FK_Polls_AgendaItems_AgendaItemId" FOREIGN KEY ("AgendaItemId") REFERENCES "AgendaItems" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Polls_AspNetUsers_CreatedByUserId" FOREIGN KEY ("CreatedByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Polls_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE CASCADE
);
CREATE TABLE "SessionLog" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_SessionLog" PRIMARY KEY AUTOINCREMENT,
    "SessionId" INTEGER NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "AtUtc" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ActorUserId" TEXT NULL,
    "PayloadJson" TEXT NOT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    CONSTRAINT "FK_SessionLog_Sessions_SessionId" FOREIGN KEY ("SessionId") REFERENCES "Sessions" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "CorrectionRequest" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CorrectionRequest" PRIMARY KEY AUTOINCREMENT,
    "MinutesId" INTEGER NOT NULL,
    "VersionNumber" INTEGER NOT NULL,
    "MembershipId" INTEGER NOT NULL,
    "MemberName" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "Resolution" TEXT NULL,
    "Accepted" INTEGER NULL,
    CONSTRAINT "FK_CorrectionRequest_Minutes_MinutesId" FOREIGN KEY ("MinutesId") REFERENCES "Minutes" ("Id") ON DELETE CASCADE
);
CREATE TABLE "MinutesVersions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_MinutesVersions" PRIMARY KEY AUTOINCREMENT,
    "MinutesId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Markdown" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "LogHash" TEXT NOT NULL,
    "LogEntries" INTEGER NOT NULL,
    "ContentHash" TEXT NOT NULL,
    "CreatedByUserId" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "UpdatedAtUtc" TEXT NOT NULL,
    "PublishedAtUtc" TEXT NULL,
    CONSTRAINT "FK_MinutesVersions_Minutes_MinutesId" FOREIGN KEY ("MinutesId") REFERENCES "Minutes" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Ballots" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Ballots" PRIMARY KEY,
    "PollId" INTEGER NOT NULL,
    "MembershipId" INTEGER NULL,
    "CastByUserId" TEXT NULL,
    "Selections" TEXT NOT NULL,
    "IsProxy" INTEGER NOT NULL,
    "ReceiptCode" TEXT NULL,
    CONSTRAINT "FK_Ballots_AspNetUsers_CastByUserId" FOREIGN KEY ("CastByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Ballots_Memberships_MembershipId" FOREIGN KEY ("MembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Ballots_Polls_PollId" FOREIGN KEY ("PollId") REFERENCES "Polls" ("Id") ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE "Participations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Participations" PRIMARY KEY AUTOINCREMENT,
    "PollId" INTEGER NOT NULL,
    "MembershipId" INTEGER NOT NULL,
    "CastByUserId" TEXT NOT NULL,
    "IsProxy" INTEGER NOT NULL,
    "IdempotencyKey" TEXT NULL,
    "CastAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_Participations_AspNetUsers_CastByUserId" FOREIGN KEY ("CastByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Participations_Memberships_MembershipId" FOREIGN KEY ("MembershipId") REFERENCES "Memberships" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Participations_Polls_PollId" FOREIGN KEY ("PollId") REFERENCES "Polls" ("Id") ON DELETE CASCADE
);
CREATE TABLE "PollOptions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_PollOptions" PRIMARY KEY AUTOINCREMENT,
    "PollId" INTEGER NOT NULL,
    "Index" INTEGER NOT NULL,
    "Label" TEXT NOT NULL,
    "Votes" INTEGER NOT NULL,
    "PaperVotes" INTEGER NOT NULL,
    CONSTRAINT "FK_PollOptions_Polls_PollId" FOREIGN KEY ("PollId") REFERENCES "Polls" ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_AgendaItems_SessionId_Position" ON "AgendaItems" ("SessionId", "Position");
CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");
CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");
CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");
CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");
CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");
CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
CREATE INDEX "IX_Attendances_CheckedInByUserId" ON "Attendances" ("CheckedInByUserId");
CREATE INDEX "IX_Attendances_MembershipId" ON "Attendances" ("MembershipId");
CREATE UNIQUE INDEX "IX_Attendances_SessionId_MembershipId" ON "Attendances" ("SessionId", "MembershipId");
CREATE INDEX "IX_Ballots_CastByUserId" ON "Ballots" ("CastByUserId");
CREATE INDEX "IX_Ballots_MembershipId" ON "Ballots" ("MembershipId");
CREATE UNIQUE INDEX "IX_Ballots_PollId_ReceiptCode" ON "Ballots" ("PollId", "ReceiptCode");
CREATE UNIQUE INDEX "UX_Ballots_Poll_Member" ON "Ballots" ("PollId", "MembershipId");
CREATE UNIQUE INDEX "IX_Bodies_Key" ON "Bodies" ("Key");
CREATE INDEX "IX_Bodies_ParentId" ON "Bodies" ("ParentId");
CREATE INDEX "IX_CorrectionRequest_MinutesId" ON "CorrectionRequest" ("MinutesId");
CREATE INDEX "IX_Delegations_FromMembershipId" ON "Delegations" ("FromMembershipId");
CREATE INDEX "IX_Delegations_SessionId_ToMembershipId" ON "Delegations" ("SessionId", "ToMembershipId");
CREATE INDEX "IX_Delegations_ToMembershipId" ON "Delegations" ("ToMembershipId");
CREATE UNIQUE INDEX "UX_Delegations_Active" ON "Delegations" ("SessionId", "FromMembershipId") WHERE "RevokedAtUtc" IS NULL;
CREATE INDEX "IX_Memberships_OrganisationId" ON "Memberships" ("OrganisationId");
CREATE UNIQUE INDEX "IX_Memberships_TermId_UserId" ON "Memberships" ("TermId", "UserId");
CREATE INDEX "IX_Memberships_UserId" ON "Memberships" ("UserId");
CREATE UNIQUE INDEX "IX_Minutes_SessionId" ON "Minutes" ("SessionId");
CREATE UNIQUE INDEX "IX_MinutesVersions_MinutesId_Number" ON "MinutesVersions" ("MinutesId", "Number");
CREATE INDEX "IX_MinutesVersions_PublishedAtUtc" ON "MinutesVersions" ("PublishedAtUtc");
CREATE UNIQUE INDEX "IX_Organisations_Key" ON "Organisations" ("Key");
CREATE INDEX "IX_Participations_CastByUserId" ON "Participations" ("CastByUserId");
CREATE INDEX "IX_Participations_MembershipId" ON "Participations" ("MembershipId");
CREATE UNIQUE INDEX "UX_Participations_Poll_Member" ON "Participations" ("PollId", "MembershipId");
CREATE UNIQUE INDEX "IX_PollOptions_PollId_Index" ON "PollOptions" ("PollId", "Index");
CREATE INDEX "IX_Polls_AgendaItemId" ON "Polls" ("AgendaItemId");
CREATE INDEX "IX_Polls_CreatedByUserId" ON "Polls" ("CreatedByUserId");
CREATE INDEX "IX_Polls_SessionId_Status" ON "Polls" ("SessionId", "Status");
CREATE INDEX "IX_Polls_Status_ClosesAtUtc" ON "Polls" ("Status", "ClosesAtUtc");
CREATE UNIQUE INDEX "UX_SessionLog_Session_Sequence" ON "SessionLog" ("SessionId", "Sequence");
CREATE INDEX "IX_Sessions_BodyId" ON "Sessions" ("BodyId");
CREATE INDEX "IX_Sessions_ChairUserId" ON "Sessions" ("ChairUserId");
CREATE INDEX "IX_Sessions_CurrentAgendaItemId" ON "Sessions" ("CurrentAgendaItemId");
CREATE INDEX "IX_Sessions_ScheduledAtUtc" ON "Sessions" ("ScheduledAtUtc");
CREATE UNIQUE INDEX "IX_Sessions_TermId_Number" ON "Sessions" ("TermId", "Number");
CREATE UNIQUE INDEX "IX_Terms_BodyId_Number" ON "Terms" ("BodyId", "Number");
CREATE VIRTUAL TABLE "MinutesSearch" USING fts5(minutes_id UNINDEXED, title, body, tokenize = 'trigram');
CREATE VIRTUAL TABLE "MinutesSearchChars" USING fts5(minutes_id UNINDEXED, body, tokenize = 'unicode61');
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
CREATE TABLE "CommentReports" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_CommentReports" PRIMARY KEY AUTOINCREMENT,
    "CommentId" INTEGER NOT NULL,
    "ReporterUserId" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    CONSTRAINT "FK_CommentReports_AspNetUsers_ReporterUserId" FOREIGN KEY ("ReporterUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_CommentReports_Comments_CommentId" FOREIGN KEY ("CommentId") REFERENCES "Comments" ("Id") ON DELETE CASCADE
);
CREATE TABLE "Comments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_Comments" PRIMARY KEY AUTOINCREMENT,
    "ProposalId" INTEGER NOT NULL,
    "AmendmentId" INTEGER NULL,
    "ParentId" INTEGER NULL,
    "ThreadId" INTEGER NULL,
    "Depth" INTEGER NOT NULL,
    "AuthorUserId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "Stance" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "CreatedAtUtc" TEXT NOT NULL,
    "EditedAtUtc" TEXT NULL,
    "HiddenAtUtc" TEXT NULL,
    "HiddenByUserId" TEXT NULL,
    "HiddenReason" TEXT NULL,
    CONSTRAINT "FK_Comments_Amendments_AmendmentId" FOREIGN KEY ("AmendmentId") REFERENCES "Amendments" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_Comments_AspNetUsers_AuthorUserId" FOREIGN KEY ("AuthorUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Comments_AspNetUsers_HiddenByUserId" FOREIGN KEY ("HiddenByUserId") REFERENCES "AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Comments_Comments_ParentId" FOREIGN KEY ("ParentId") REFERENCES "Comments" ("Id"),
    CONSTRAINT "FK_Comments_Comments_ThreadId" FOREIGN KEY ("ThreadId") REFERENCES "Comments" ("Id"),
    CONSTRAINT "FK_Comments_Proposals_ProposalId" FOREIGN KEY ("ProposalId") REFERENCES "Proposals" ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_CommentReports_CommentId_ReporterUserId" ON "CommentReports" ("CommentId", "ReporterUserId");
CREATE INDEX "IX_CommentReports_ReporterUserId" ON "CommentReports" ("ReporterUserId");
CREATE INDEX "IX_Comments_AmendmentId" ON "Comments" ("AmendmentId");
CREATE INDEX "IX_Comments_AuthorUserId" ON "Comments" ("AuthorUserId");
CREATE INDEX "IX_Comments_HiddenByUserId" ON "Comments" ("HiddenByUserId");
CREATE INDEX "IX_Comments_ParentId" ON "Comments" ("ParentId");
CREATE INDEX "IX_Comments_ProposalId_AmendmentId_ParentId_Id" ON "Comments" ("ProposalId", "AmendmentId", "ParentId", "Id");
CREATE INDEX "IX_Comments_ThreadId" ON "Comments" ("ThreadId");
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261121000000_Initial', '10.0.14');
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261122000000_Proposals', '10.0.14');
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261122010000_Speakers', '10.0.14');
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261122020000_BodyAdmin', '10.0.14');
INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('20261122030000_Comments', '10.0.14');
