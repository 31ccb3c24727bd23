using CommunityDeliberation.Deliberation.Shared;

namespace CommunityDeliberation.Deliberation.Consultations;

/// <summary>A spokesperson's vote.</summary>
public enum BlocChoice
{
    For,
    Against,
    Abstain,
}

/// <summary>
/// A bloc's one vote in the decision, cast by its spokesperson. The unique index (ConsultationId, BlocId) is what makes
/// it one per bloc — also when two arrive at once.
/// </summary>
public sealed class BlocVote
{
    public const int NoteMax = Limits.Reason;

    private BlocVote()
    {
        CastByUserId = CastByName = string.Empty;
    }

    public BlocVote(int consultationId, int blocId, BlocChoice choice, string? note, string userId, string name, DateTime atUtc)
    {
        ConsultationId = consultationId;
        BlocId = blocId;
        Choice = Enum.IsDefined(choice) ? choice : throw new DomainException("Consultation.Choice");
        Note = Guard.OptionalText(note, NoteMax, "Consultation.Note");
        CastByUserId = userId;
        CastByName = name;
        CastAtUtc = atUtc;
    }

    public long Id { get; private set; }

    public int ConsultationId { get; private set; }

    public int BlocId { get; private set; }

    public BlocChoice Choice { get; private set; }

    /// <summary>The bloc's reason (recorded as its dissent when it voted against).</summary>
    public string? Note { get; private set; }

    public string CastByUserId { get; private set; }

    public string CastByName { get; private set; }

    public DateTime CastAtUtc { get; private set; }
}

/// <summary>A bloc's dissent from the decision (a vote against, or a reservation to a consensus), kept with the record.</summary>
public sealed class BlocDissent
{
    private BlocDissent()
    {
        Note = string.Empty;
    }

    public BlocDissent(int consultationId, int blocId, string? note)
    {
        ConsultationId = consultationId;
        BlocId = blocId;
        Note = Guard.RequiredMultilineText(note, BlocVote.NoteMax, "Consultation.Dissent");
    }

    public int Id { get; private set; }

    public int ConsultationId { get; private set; }

    public int BlocId { get; private set; }

    public string Note { get; private set; }
}

/// <summary>The third-party assessment (第三方论证) of the topic, filed once by the assessor office of the convener body's term.</summary>
public sealed class ConsultationAssessment
{
    public const int PartMax = 4_000;

    private ConsultationAssessment()
    {
        Feasibility = Legality = Cost = Risks = Recommendation = AssessorUserId = AssessorName = string.Empty;
    }

    public ConsultationAssessment(int consultationId, AssessmentInput input, string userId, string name, DateTime atUtc)
    {
        ConsultationId = consultationId;
        Feasibility = Guard.RequiredMultilineText(input.Feasibility, PartMax, "Assessment.Feasibility");
        Legality = Guard.RequiredMultilineText(input.Legality, PartMax, "Assessment.Legality");
        Cost = Guard.RequiredMultilineText(input.Cost, PartMax, "Assessment.Cost");
        Risks = Guard.RequiredMultilineText(input.Risks, PartMax, "Assessment.Risks");
        Recommendation = Guard.RequiredMultilineText(input.Recommendation, PartMax, "Assessment.Recommendation");
        AssessorUserId = userId;
        AssessorName = name;
        FiledAtUtc = atUtc;
    }

    public int Id { get; private set; }

    public int ConsultationId { get; private set; }

    public string Feasibility { get; private set; }

    public string Legality { get; private set; }

    public string Cost { get; private set; }

    public string Risks { get; private set; }

    public string Recommendation { get; private set; }

    public string AssessorUserId { get; private set; }

    public string AssessorName { get; private set; }

    public DateTime FiledAtUtc { get; private set; }
}

/// <summary>The five parts of an assessment, each Markdown.</summary>
public sealed record AssessmentInput(string? Feasibility, string? Legality, string? Cost, string? Risks, string? Recommendation);
