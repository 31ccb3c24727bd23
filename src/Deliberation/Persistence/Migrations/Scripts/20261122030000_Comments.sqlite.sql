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
