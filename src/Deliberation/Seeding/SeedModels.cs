namespace CommunityDeliberation.Deliberation.Seeding;

// The shape of the JSON files in seeds/. Property names match the files (camelCase, case-insensitive).
internal sealed record SeedOrganisation(string Key, string Name, string NameEn, string Kind);

internal sealed record SeedAccounts(string MemberPassword, List<SeedAccount> Accounts);

internal sealed record SeedAccount(string UserName, string DisplayName, string? DisplayNameEn, string Password, List<string> Roles);

internal sealed record SeedBody(
    string Key, string Name, string NameEn, string Kind, string? ParentKey, string? Description, string? DescriptionEn,
    int? SpeakingTimeSeconds, int? QuorumNumerator, int? QuorumDenominator, List<SeedTerm>? Terms);

internal sealed record SeedTerm(int Number, string Name, string NameEn, DateOnly StartsOn, DateOnly? EndsOn, List<SeedMember>? Members);

internal sealed record SeedMember(string Name, string? OrganisationKey, string Role, string? UserName);

internal sealed record SeedSession(
    string BodyKey, int TermNumber, string Kind, string Title, string? TitleEn, DateTimeOffset ScheduledAt, string Place, string? PlaceEn, List<SeedAgendaItem> Agenda);

internal sealed record SeedAgendaItem(string Title, string? TitleEn, int PlannedMinutes, string? Description, string? DescriptionEn);

internal sealed record SeedProposals(List<SeedProposal> Proposals, List<SeedTopic> Topics);

internal sealed record SeedProposal(
    string BodyKey, string Title, string Text, string Category, string? OrganisationKey, string Author, string Status, List<string> CoSponsors);

internal sealed record SeedTopic(string BodyKey, string Title, string Text, string Category, string Name, string Contact);

internal sealed record SeedLedger(List<SeedLedgerItem> Items);

internal sealed record SeedLedgerItem(
    string BodyKey, string Keeper, string Title, string? Details, string OwnerKind, string OwnerName, string? Area, DateOnly? DueOn, string Source,
    List<string>? Progress, string? Done, string? Evidence, string? EvidenceLink);

internal sealed record SeedProjects(string BodyKey, string Keeper, List<SeedProject> Projects);

internal sealed record SeedProject(
    string Title, string? Description, string Category, int UnitsNeeded, List<string> Claims, List<SeedProjectReport>? Reports);

internal sealed record SeedProjectReport(string Unit, string Text);
