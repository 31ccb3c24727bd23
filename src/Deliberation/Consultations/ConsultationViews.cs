using CommunityDeliberation.Deliberation.Ledger;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>A consultation as the pages show it; the viewer's flags come from <see cref="ConsultationPermissions"/>.</summary>
public sealed record ConsultationView(
    int Id, int BodyId, string BodyName, string BodyNameEn, int SessionId, string SessionTitle, string Title, string TopicMarkdown, bool IsImportant,
    ConsultationSource Source, int? SourceId, string? SourceTitle, ConsultationStage Stage, int Round, DecisionMethod? Method, bool? Adopted,
    string? DecisionMarkdown, DateTime? DecidedAtUtc, IReadOnlyList<BlocView> Blocs, AssessmentView? Assessment, IReadOnlyList<string> MissingForDecision,
    IReadOnlyList<LedgerItemView> FollowUps)
{
    /// <summary>What the viewer may do (all false for an anonymous reader).</summary>
    public ConsultationViewer Viewer { get; init; } = ConsultationViewer.Nobody;

    /// <summary>The blocs that took part in the decision (vote cast, or every bloc of a consensus).</summary>
    public IEnumerable<BlocView> Participants => Method == DecisionMethod.Consensus ? Blocs : Blocs.Where(b => b.Vote is not null);
}

/// <summary>The viewer's part: convener, assessor, the bloc they may file for, the bloc they vote for.</summary>
public sealed record ConsultationViewer(bool MayConvene, bool MayAssess, int? FilesForBlocId, int? VotesForBlocId)
{
    public static readonly ConsultationViewer Nobody = new(false, false, null, null);
}

public sealed record BlocView(int Id, string Kind, string Name, IReadOnlyList<BlocMemberView> Members, IReadOnlyList<PositionView> Positions, BlocVoteView? Vote, string? Dissent)
{
    public BlocMemberView? Spokesperson => Members.FirstOrDefault(m => m.IsSpokesperson);

    public PositionView? Current => Positions.Count == 0 ? null : Positions[^1];
}

public sealed record BlocMemberView(int Id, string Name, bool HasAccount, bool IsSpokesperson);

/// <summary>One version of a position (oldest first in <see cref="BlocView.Positions"/>).</summary>
public sealed record PositionView(int Number, int AfterRound, Stance Stance, string Markdown, string By, DateTime FiledAtUtc);

public sealed record BlocVoteView(BlocChoice Choice, string? Note, string CastBy, DateTime CastAtUtc);

public sealed record AssessmentView(string Feasibility, string Legality, string Cost, string Risks, string Recommendation, string Assessor, DateTime FiledAtUtc);

/// <summary>A line of the consultation list.</summary>
public sealed record ConsultationSummary(int Id, string Title, string BodyName, string BodyNameEn, bool IsImportant, ConsultationStage Stage, int Blocs, DateTime CreatedAtUtc, DateTime? DecidedAtUtc);

/// <summary>A consultation session a convener may open a consultation in (none open yet).</summary>
public sealed record ConvenableSession(int SessionId, string Title, string BodyName, string BodyNameEn, DateTime ScheduledAtUtc);
