-- Rows for a database made from before-ef-migrations.sqlite.sql: at least one in every table of that schema (two
-- where a table refers to itself or holds a secret and a named vote), with Chinese text, NULLs, decimals in text and
-- the full-text index filled. Plain SQL against the old schema, so it keeps working whatever the model becomes.
INSERT INTO "AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES ('role-admin', 'Admin', 'ADMIN', 'c1');
INSERT INTO "AspNetUsers" ("Id", "DisplayName", "DisplayNameEn", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnd", "LockoutEnabled", "AccessFailedCount")
VALUES ('user-chair', '王主任', 'Director Wang', 'chair', 'CHAIR', NULL, NULL, 0, 'AQAAAAIAAYagAAAAEhash', 'stamp-1', 'cs-1', NULL, 0, 0, NULL, 1, 0),
       ('user-rep', '张伟', NULL, 'rep001', 'REP001', 'zhang@example.org', 'ZHANG@EXAMPLE.ORG', 1, 'AQAAAAIAAYagAAAAEhash2', 'stamp-2', 'cs-2', '13800000000', 1, 0, '2026-11-30 08:00:00+00:00', 1, 3);
INSERT INTO "AspNetRoleClaims" ("Id", "RoleId", "ClaimType", "ClaimValue") VALUES (1, 'role-admin', 'perm', 'bodies');
INSERT INTO "AspNetUserClaims" ("Id", "UserId", "ClaimType", "ClaimValue") VALUES (1, 'user-rep', 'locale', 'zh-CN');
INSERT INTO "AspNetUserLogins" ("LoginProvider", "ProviderKey", "ProviderDisplayName", "UserId") VALUES ('wechat', 'wx-1', '微信', 'user-rep');
INSERT INTO "AspNetUserRoles" ("UserId", "RoleId") VALUES ('user-chair', 'role-admin');
INSERT INTO "AspNetUserTokens" ("UserId", "LoginProvider", "Name", "Value") VALUES ('user-rep', '[AspNetUserStore]', 'AuthenticatorKey', 'KEY');
INSERT INTO "Organisations" ("Id", "Key", "Name", "NameEn", "Kind") VALUES (1, 'jiangchuan-office', '江川路街道办事处', 'Jiangchuan Road Sub-district Office', 'GovernmentOffice');
INSERT INTO "Bodies" ("Id", "Key", "Name", "NameEn", "Description", "DescriptionEn", "Kind", "ParentId", "SpeakingTimeSeconds", "ProxyCapPerHolder", "QuorumDenominator", "QuorumNumerator", "CoSponsorThreshold")
VALUES (1, 'jiangchuan', '江川社区党员代表议事会', 'Jiangchuan council', '第二届', NULL, 'Council', NULL, 180, 1, 2, 1, 2),
       (2, 'jiangchuan-housing', '住房专业委员会', 'Housing committee', NULL, NULL, 'CommunityCommittee', 1, 120, 0, 3, 2, 3);
INSERT INTO "Terms" ("Id", "BodyId", "Number", "Name", "NameEn", "StartsOn", "EndsOn") VALUES (1, 1, 2, '第二届', '2nd term', '2024-03-01', NULL);
INSERT INTO "Memberships" ("Id", "TermId", "Name", "Role", "OrganisationId", "UserId", "EndedAtUtc", "EndReason")
VALUES (1, 1, '王主任', 'Chair', 1, 'user-chair', NULL, NULL),
       (2, 1, '张伟', 'Representative', NULL, 'user-rep', NULL, NULL),
       (3, 1, '李娜', 'Representative', 1, NULL, '2026-11-20 02:00:00', '迁出本社区');
INSERT INTO "Sessions" ("Id", "BodyId", "TermId", "Number", "Kind", "Title", "ScheduledAtUtc", "Place", "ChairUserId", "Status", "CreatedAtUtc", "OpenedAtUtc", "ClosedAtUtc", "CurrentAgendaItemId")
VALUES (1, 1, 1, 4, 'CouncilSession', '第二届第4次会议', '2026-11-23 06:00:00', '江川社区党群服务中心', 'user-chair', 'Closed', '2026-11-20 01:00:00.1234567', '2026-11-23 06:01:00', '2026-11-23 08:00:00', NULL);
INSERT INTO "AgendaItems" ("Id", "SessionId", "Position", "Title", "Description", "PlannedMinutes") VALUES (1, 1, 1, '加装电梯', '沪闵路沿线旧住房改造', 30), (2, 1, 2, '停车管理', NULL, 20);
UPDATE "Sessions" SET "CurrentAgendaItemId" = 2 WHERE "Id" = 1;
INSERT INTO "Attendances" ("Id", "SessionId", "MembershipId", "Method", "CheckedInByUserId", "CheckedInAtUtc") VALUES (1, 1, 1, 'Self', 'user-chair', '2026-11-23 05:55:00'), (2, 1, 2, 'BySecretary', 'user-chair', '2026-11-23 05:56:00');
INSERT INTO "Delegations" ("Id", "SessionId", "FromMembershipId", "ToMembershipId", "CreatedAtUtc", "RevokedAtUtc") VALUES (1, 1, 3, 2, '2026-11-22 10:00:00', NULL);
INSERT INTO "Polls" ("Id", "SessionId", "AgendaItemId", "Question", "Method", "Secrecy", "MinChoices", "MaxChoices", "Seats", "Status", "CreatedByUserId", "CreatedAtUtc", "OpenedAtUtc", "ClosesAtUtc", "ClosedAtUtc", "PublishedAtUtc", "BallotCount", "BlankBallots", "PaperBallots", "PaperBlankBallots", "EligibleAtOpen", "PresentAtClose", "MembersAtClose", "Outcome", "DecisionJson", "AnnulmentReason", "AnnulmentRequestedByUserId", "AnnulmentRequestedAs", "AnnulledByUserId", "AnnulledAtUtc", "RuleAbstentionsCount", "RuleBase", "RuleDenominator", "RuleKind", "RuleNumerator")
VALUES (1, 1, 1, '是否同意增设电梯?', 'YesNoAbstain', 'Named', 1, 1, 1, 'Closed', 'user-chair', '2026-11-23 06:10:00', '2026-11-23 06:10:01', NULL, '2026-11-23 06:20:00', '2026-11-23 06:21:00', 2, 0, 0, 0, 3, 2, 3, 'Adopted', '{"yes":2,"needed":2}', NULL, NULL, NULL, NULL, NULL, 0, 'VotesCast', 2, 'Simple', 1),
       (2, 1, 2, '选举监督小组成员(无记名)', 'YesNoAbstain', 'Secret', 1, 1, 1, 'Closed', 'user-chair', '2026-11-23 07:00:00', '2026-11-23 07:00:01', '2026-11-23 07:10:00', '2026-11-23 07:10:00', NULL, 1, 0, 0, 0, 3, 2, 3, 'Rejected', NULL, '计票有误', 'user-chair', 'Chair', NULL, NULL, 1, 'AllMembers', 3, 'Custom', 2);
INSERT INTO "PollOptions" ("Id", "PollId", "Index", "Label", "Votes", "PaperVotes") VALUES (1, 1, 0, '同意', 2, 0), (2, 1, 1, '反对', 0, 0), (3, 1, 2, '弃权', 0, 0), (4, 2, 0, '同意', 0, 0), (5, 2, 1, '反对', 1, 0);
INSERT INTO "Ballots" ("Id", "PollId", "MembershipId", "CastByUserId", "Selections", "IsProxy", "ReceiptCode")
VALUES ('0b6f1f2e-8d1c-4a52-9a51-1f3b7c1d2e01', 1, 1, 'user-chair', '[0]', 0, NULL),
       ('7c2a9b10-3e4d-4f6a-8b7c-9d0e1f2a3b04', 1, 2, 'user-rep', '[0]', 1, NULL),
       ('f3e2d1c0-b9a8-4765-8432-10fedcba9802', 2, NULL, NULL, '[1]', 0, 'K7Q2-M9XP');
INSERT INTO "Participations" ("Id", "PollId", "MembershipId", "CastByUserId", "IsProxy", "IdempotencyKey", "CastAtUtc") VALUES (1, 1, 1, 'user-chair', 0, 'k-1', '2026-11-23 06:11:00'), (2, 1, 2, 'user-rep', 1, NULL, '2026-11-23 06:12:00'), (3, 2, 2, 'user-rep', 0, 'k-3', '2026-11-23 07:01:00');
INSERT INTO "SessionLog" ("Id", "SessionId", "Sequence", "AtUtc", "Kind", "ActorUserId", "PayloadJson", "PreviousHash", "Hash")
VALUES (1, 1, 1, '2026-11-23 06:01:00', 'SessionOpened', 'user-chair', '{}', '0000000000000000000000000000000000000000000000000000000000000000', 'a1b2c3'),
       (2, 1, 2, '2026-11-23 06:20:00', 'PollClosed', NULL, '{"pollId":1,"outcome":"Adopted"}', 'a1b2c3', 'd4e5f6');
INSERT INTO "Minutes" ("Id", "SessionId", "Status", "CreatedAtUtc", "ApprovedByUserId") VALUES (1, 1, 'Published', '2026-11-23 09:00:00', 'user-chair');
INSERT INTO "MinutesVersions" ("Id", "MinutesId", "Number", "Markdown", "Reason", "LogHash", "LogEntries", "ContentHash", "CreatedByUserId", "CreatedAtUtc", "UpdatedAtUtc", "PublishedAtUtc")
VALUES (1, 1, 1, '# 会议纪要' || char(10) || char(10) || '沪闵路沿线旧住房改造项目听证会纪要', NULL, 'd4e5f6', 2, 'ffee', 'user-chair', '2026-11-23 09:00:00', '2026-11-23 09:30:00', '2026-11-24 01:00:00');
INSERT INTO "CorrectionRequest" ("Id", "MinutesId", "VersionNumber", "MembershipId", "MemberName", "Text", "CreatedAtUtc", "Resolution", "Accepted") VALUES (1, 1, 1, 2, '张伟', '第二段应为"加装"', '2026-11-23 10:00:00', '已更正', 1);
INSERT INTO "MinutesSearch" ("rowid", "minutes_id", "title", "body") VALUES (1, 1, '第二届第4次会议', '沪闵路沿线旧住房改造项目听证会纪要');
INSERT INTO "MinutesSearchChars" ("rowid", "minutes_id", "body") VALUES (1, 1, '沪 闵 路 沿 线 旧 住 房 改 造');
INSERT INTO "TopicSubmissions" ("Id", "BodyId", "Title", "Text", "Category", "SubmitterName", "Contact", "SourceKey", "TrackingCode", "CreatedAtUtc", "Status", "Reason", "ProposalId", "ReferredToName", "TriagedByUserId", "TriagedAtUtc")
VALUES (1, 1, '小区停车难', '晚上车位不够', 'Parking', '居民刘女士', '139****0000', 'ip:127.0.0.1', 'T-7F3K', '2026-11-10 12:00:00', 'Accepted', NULL, NULL, NULL, 'user-chair', '2026-11-11 02:00:00');
INSERT INTO "Proposals" ("Id", "BodyId", "Title", "Text", "Category", "OrganisationId", "AuthorUserId", "AuthorName", "Status", "Version", "CreatedAtUtc", "SubmittedAtUtc", "AgendaItemId", "DecidedByPollId", "TopicId", "ReferredFromProposalId", "ReferredToBodyId", "ReferredToName")
VALUES (1, 1, '关于加装电梯的提案', '第一段' || char(10) || char(10) || '第二段', 'Housing', 1, 'user-rep', '张伟', 'Adopted', 2, '2026-11-01 03:00:00', '2026-11-02 03:00:00', 1, 1, 1, NULL, NULL, NULL),
       (2, 2, '关于加装电梯的提案(转交)', '第一段', 'Housing', NULL, 'user-chair', '王主任', 'Submitted', 1, '2026-11-24 03:00:00', '2026-11-24 03:00:00', NULL, NULL, NULL, 1, NULL, NULL);
UPDATE "TopicSubmissions" SET "ProposalId" = 1 WHERE "Id" = 1;
INSERT INTO "ProposalVersions" ("Id", "ProposalId", "Number", "Title", "Text", "AuthorUserId", "AuthorName", "CreatedAtUtc", "AmendmentNumber")
VALUES (1, 1, 1, '关于加装电梯的提案', '第一段' || char(10) || char(10) || '第二版', 'user-rep', '张伟', '2026-11-01 03:00:00', NULL),
       (2, 1, 2, '关于加装电梯的提案', '第一段' || char(10) || char(10) || '第二段', 'user-chair', '王主任', '2026-11-23 06:30:00', 1),
       (3, 2, 1, '关于加装电梯的提案(转交)', '第一段', 'user-chair', '王主任', '2026-11-24 03:00:00', NULL);
INSERT INTO "CoSponsorships" ("Id", "ProposalId", "UserId", "Name", "AtUtc") VALUES (1, 1, 'user-chair', '王主任', '2026-11-03 03:00:00');
INSERT INTO "ProposalStatusChanges" ("Id", "ProposalId", "From", "To", "ByUserId", "AtUtc", "Note") VALUES (1, 1, NULL, 'Draft', 'user-rep', '2026-11-01 03:00:00', NULL), (2, 1, 'UnderDeliberation', 'Adopted', 'user-chair', '2026-11-23 06:21:00', '表决通过');
INSERT INTO "Amendments" ("Id", "ProposalId", "Number", "ParagraphIndex", "BaseVersion", "OriginalText", "ProposedText", "Rationale", "AuthorUserId", "AuthorName", "CreatedAtUtc", "Status", "PollId", "DecidedByUserId", "DecidedAtUtc", "DecisionNote", "ResultVersion")
VALUES (1, 1, 1, 1, 1, '第二版', '第二段', '措辞', 'user-rep', '张伟', '2026-11-20 03:00:00', 'Accepted', NULL, 'user-chair', '2026-11-23 06:30:00', NULL, 2);
INSERT INTO "SpeakerRequests" ("Id", "SessionId", "AgendaItemId", "MembershipId", "Mark", "Status", "Position", "RequestedAtUtc", "TimeLimitSeconds", "ExtensionSeconds", "StartedAtUtc", "EndedAtUtc", "ClosedAtUtc", "RemovalReason")
VALUES (1, 1, 1, 2, 'Pro', 'Spoken', 1, '2026-11-23 06:05:00', 180, 60, '2026-11-23 06:06:00', '2026-11-23 06:10:00', '2026-11-23 06:10:00', NULL),
       (2, 1, 2, 1, 'Question', 'Waiting', 1, '2026-11-23 07:30:00', NULL, 0, NULL, NULL, NULL, NULL);
INSERT INTO "Comments" ("Id", "ProposalId", "AmendmentId", "ParentId", "ThreadId", "Depth", "AuthorUserId", "AuthorName", "Stance", "Text", "CreatedAtUtc", "EditedAtUtc", "HiddenAtUtc", "HiddenByUserId", "HiddenReason")
VALUES (1, 1, NULL, NULL, 1, 0, 'user-rep', '张伟', 'Support', '**支持**加装电梯', '2026-11-05 03:00:00', '2026-11-05 03:05:00', NULL, NULL, NULL),
       (2, 1, 1, 1, 1, 1, 'user-chair', '王主任', 'Neutral', '请补充费用', '2026-11-06 03:00:00', NULL, '2026-11-06 04:00:00', 'user-chair', '含个人信息');
INSERT INTO "CommentReports" ("Id", "CommentId", "ReporterUserId", "Reason", "CreatedAtUtc") VALUES (1, 2, 'user-rep', '含电话号码', '2026-11-06 03:30:00');
